package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.testing.Http2TestClient;
import io.swarmgate.testing.Http3TestClient;
import io.swarmgate.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ENABLE_H2, ENABLE_H2C, ENABLE_H3 and SSL_BIND_OPTIONS as a Swarmgate started from its environment serves them. */
class HttpVersionsTest {
    private static final HttpClient API = HttpClient.newHttpClient();
    private final TestBackend backend = TestBackend.start("b");
    @TempDir
    Path certs;
    private SwarmgateServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        backend.close();
    }

    private void start(Map<String, String> environment) throws Exception {
        server = SwarmgateServer.start(ServerSettings.ephemeral()
                .withTls(new TlsSettings(List.of(0), certs, certs)), environment);
        HttpResponse<String> reconfigured = API.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.apiPort() + "/v1/docker-flow-proxy/reconfigure?serviceName=web&servicePath=/&port="
                + backend.port() + "&outboundHostname=127.0.0.1")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reconfigured.statusCode()).isEqualTo(200);
    }

    private HttpClient.Version httpsVersion() throws Exception {
        return Http2TestClient.create().send(HttpRequest.newBuilder(URI.create("https://localhost:"
                + server.httpsPorts().get(0) + "/x")).build(), HttpResponse.BodyHandlers.ofString()).version();
    }

    private String priorKnowledge() throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "-i", "--max-time", "10", "--http2-prior-knowledge",
                "http://127.0.0.1:" + server.proxyPorts().get(0) + "/x").redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes());
        assertThat(curl.waitFor(15, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void byDefaultHttp2OnTheTlsPortsOnlyAsDockerFlowProxy() throws Exception {
        start(Map.of());

        assertThat(httpsVersion()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(priorKnowledge()).doesNotStartWith("HTTP/2");
    }

    @Test
    void enableH2OffAndH2cOn() throws Exception {
        start(Map.of("ENABLE_H2", "false", "ENABLE_H2C", "true", "SSL_BIND_OPTIONS", "no-sslv3 force-tlsv12"));

        assertThat(httpsVersion()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(priorKnowledge()).startsWith("HTTP/2 200");
    }

    private HttpResponse<String> httpsAnswer() throws Exception {
        return Http2TestClient.create().send(HttpRequest.newBuilder(URI.create("https://localhost:"
                + server.httpsPorts().get(0) + "/x")).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void byDefaultHttp3OnTheUdpSideOfTheTlsPortsAdvertisedByAltSvc() throws Exception {
        start(Map.of());
        int port = server.httpsPorts().get(0);

        assertThat(httpsAnswer().headers().firstValue("alt-svc")).hasValue("h3=\":" + port + "\"; ma=86400");
        try (Http3TestClient h3 = Http3TestClient.connect("localhost", port)) {
            Http3TestClient.Response answer = h3.get("/x").get(10, TimeUnit.SECONDS);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("x-backend")).isEqualTo("b");
        }
    }

    @Test
    void enableH3OffAdvertisesNothing() throws Exception {
        start(Map.of("ENABLE_H3", "false"));

        assertThat(httpsAnswer().statusCode()).isEqualTo(200);
        assertThat(httpsAnswer().headers().firstValue("alt-svc")).isEmpty();
    }

    @Test
    void anUnreadableFlagStopsTheStartWithItsName() {
        assertThatThrownBy(() -> start(Map.of("ENABLE_H2C", "maybe")))
                .hasMessageContaining("ENABLE_H2C: maybe (expected: true or false)");
    }
}
