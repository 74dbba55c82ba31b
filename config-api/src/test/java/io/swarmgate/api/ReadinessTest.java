package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@code /ready} answers 200 while Swarmgate serves and 503 from the moment it starts to drain. */
class ReadinessTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void turnsTo503WhileRequestsInFlightDrain() throws Exception {
        try (TestBackend backend = TestBackend.start("slow")) {
            SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of());
            int apiPort = server.apiPort();
            assertThat(get(apiPort, "/ready").statusCode()).isEqualTo(200);
            assertThat(get(apiPort, "/v1/docker-flow-proxy/reconfigure?serviceName=slow&servicePath=/delay&port="
                    + backend.port() + "&outboundHostname=127.0.0.1").statusCode()).isEqualTo(200);

            try (RawHttpConnection inFlight = RawHttpConnection.open(server.proxyPorts().get(0))) {
                inFlight.send("GET /delay/1500 HTTP/1.1\r\nHost: a\r\n\r\n");
                await().until(() -> backend.requests() == 1);
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);

                await().until(() -> get(apiPort, "/ready").statusCode() == 503);
                assertThat(get(apiPort, "/ready").body()).isEqualTo("draining\n");
                assertThat(inFlight.readResponse().status()).isEqualTo(200);
                stopping.get();
            }
        }
    }

    private static HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
