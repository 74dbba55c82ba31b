package io.swarmgate.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.swarmgate.api.ServerSettings;
import io.swarmgate.api.SwarmgateServer;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.net.URI;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The route policies' series on {@code GET /metrics}, and the access log's {@code policy=} field, after requests that
 * the policies refused through a real server.
 */
class PolicyMetricsTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void countsEachPolicysRefusalsByServiceAndNamesThePolicyInTheAccessLog() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("swarmgate.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (TestBackend backend = TestBackend.start("demo");
             SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of("ACCESS_LOG", "true"))) {
            String target = "&port=" + backend.port() + "&outboundHostname=127.0.0.1";
            api(server, "serviceName=limited&servicePath=/limited&rateLimit=1/m&rateLimitBurst=1" + target);
            api(server, "serviceName=guarded&servicePath=/guarded&authUrl=http://127.0.0.1:" + closedPort + "/v"
                    + target);
            api(server, "serviceName=busy&servicePath=/slow&concurrencyLimit=1&breakerErrorRatio=50" + target);
            int port = server.proxyPorts().get(0);
            try (RawHttpConnection held = RawHttpConnection.open(port)) {
                held.send("GET /slow/held HTTP/1.1\r\nHost: a\r\n\r\n");
                await().until(() -> backend.requests() == 1);
                assertThat(RawHttpConnection.get(port, "a", "/slow/refused").status()).isEqualTo(503);
                assertThat(RawHttpConnection.get(port, "a", "/limited/x").status()).isEqualTo(200);
                assertThat(RawHttpConnection.get(port, "a", "/limited/x").status()).isEqualTo(429);
                assertThat(RawHttpConnection.get(port, "a", "/limited/x").status()).isEqualTo(429);
                assertThat(RawHttpConnection.get(port, "a", "/guarded/x").status()).isEqualTo(503);

                String metrics = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.apiPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();

                assertThat(metrics)
                        .contains("swarmgate_ratelimit_rejected_total{service=\"limited\"} 2.0")
                        .contains("swarmgate_auth_failures_total{service=\"guarded\"} 1.0")
                        .contains("swarmgate_concurrency_rejected_total{service=\"busy\"} 1.0")
                        .contains("swarmgate_breaker_rejected_total{service=\"busy\"} 0.0")
                        .contains("swarmgate_breaker_state{service=\"busy\"} 0.0")
                        .contains("swarmgate_concurrency_in_progress{service=\"busy\"} 1.0");
            }
            await().until(() -> lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.contains(" policy=")).count() == 4);
            assertThat(lines.list).map(ILoggingEvent::getFormattedMessage)
                    .anyMatch(line -> line.contains(" 429 ") && line.endsWith(" policy=ratelimit"))
                    .anyMatch(line -> line.contains(" 503 ") && line.endsWith(" policy=auth"))
                    .anyMatch(line -> line.contains(" 503 ") && line.endsWith(" policy=concurrency"))
                    .anyMatch(line -> line.contains(" 200 ") && !line.contains("policy="));
        } finally {
            logger.detachAppender(lines);
        }
    }

    private static void api(SwarmgateServer server, String query) throws Exception {
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.apiPort() + "/v1/docker-flow-proxy/reconfigure?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
}
