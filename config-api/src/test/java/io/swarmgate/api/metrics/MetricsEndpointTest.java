package io.swarmgate.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.swarmgate.api.ServerSettings;
import io.swarmgate.api.SwarmgateServer;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} on the API port shows, in Prometheus' format, what the proxy served and what changed. */
class MetricsEndpointTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void countsRequestsByServiceCodeAndMethodAndConfigurationChanges() throws Exception {
        try (TestBackend backend = TestBackend.start("demo");
             SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of())) {
            int proxyPort = server.proxyPorts().get(0);
            long changed = System.currentTimeMillis();
            api(server, "/v1/docker-flow-proxy/reconfigure?serviceName=go-demo&servicePath=/demo&port="
                    + backend.port() + "&outboundHostname=127.0.0.1");
            api(server, "/v1/docker-flow-proxy/reconfigure?serviceName=bad&servicePath=/bad&port=70000");
            try (RawHttpConnection connection = RawHttpConnection.open(proxyPort)) {
                connection.exchange("GET /demo/1 HTTP/1.1\r\nHost: a\r\n\r\n");
                connection.exchange("GET /demo/2 HTTP/1.1\r\nHost: a\r\n\r\n");
                connection.exchange("POST /demo/3 HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
                connection.exchange("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n");

                HttpResponse<String> metrics = api(server, "/metrics");

                assertThat(metrics.statusCode()).isEqualTo(200);
                assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("text/plain"));
                assertThat(metrics.body())
                        .contains("swarmgate_requests_total{code=\"2xx\",method=\"GET\",service=\"go-demo\"} 2")
                        .contains("swarmgate_requests_total{code=\"2xx\",method=\"POST\",service=\"go-demo\"} 1")
                        .contains("swarmgate_requests_total{code=\"5xx\",method=\"GET\",service=\"\"} 1")
                        .contains("swarmgate_request_duration_seconds_count{service=\"go-demo\"} 3")
                        .contains("swarmgate_open_connections 1")
                        .contains("swarmgate_routes 1")
                        .contains("swarmgate_config_changes_total{result=\"applied\",source=\"api\"} 1")
                        .contains("swarmgate_config_changes_total{result=\"rejected\",source=\"api\"} 1")
                        .contains("swarmgate_received_bytes_total{service=\"go-demo\"} " + (2 * 33 + 53))
                        .containsPattern("swarmgate_sent_bytes_total\\{service=\"go-demo\"} [1-9]");
                assertThat(gauge(metrics.body(), "swarmgate_config_last_success_timestamp_seconds"))
                        .isBetween(changed / 1000.0 - 1, System.currentTimeMillis() / 1000.0);
            }
        }
    }

    @Test
    void servesDfpsHaproxySeriesFromTheSameCounts() throws Exception {
        try (TestBackend backend = TestBackend.start("demo");
             SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of())) {
            api(server, "/v1/docker-flow-proxy/reconfigure?serviceName=api&aclName=05-api&servicePath=/api&port="
                    + backend.port() + "&outboundHostname=127.0.0.1");
            try (RawHttpConnection connection = RawHttpConnection.open(server.proxyPorts().get(0))) {
                connection.exchange("GET /api/1 HTTP/1.1\r\nHost: a\r\n\r\n");
                connection.exchange("GET /api/2 HTTP/1.1\r\nHost: a\r\n\r\n");
                connection.exchange("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n");

                String metrics = api(server, "/metrics").body();

                String backendName = "backend=\"05-api-be" + backend.port() + "_0\"";
                assertThat(metrics)
                        .contains("# TYPE haproxy_up gauge\nhaproxy_up 1\n")
                        .contains("haproxy_frontend_current_sessions{frontend=\"services\"} 1\n")
                        .contains("haproxy_frontend_connections_total{frontend=\"services\"} 1\n")
                        .contains("haproxy_frontend_http_requests_total{frontend=\"services\"} 3\n")
                        .contains("haproxy_frontend_http_responses_total{frontend=\"services\",code=\"2xx\"} 2\n")
                        .contains("haproxy_frontend_http_responses_total{frontend=\"services\",code=\"5xx\"} 1\n")
                        .contains("haproxy_frontend_bytes_in_total{frontend=\"services\"} " + (2 * 32 + 34) + "\n")
                        .contains("haproxy_backend_up{" + backendName + "} 1\n")
                        .contains("haproxy_backend_sessions_total{" + backendName + "} 2\n")
                        .contains("haproxy_backend_bytes_in_total{" + backendName + "} " + 2 * 32 + "\n")
                        .contains("haproxy_backend_http_responses_total{" + backendName + ",code=\"2xx\"} 2\n")
                        .contains("haproxy_backend_http_responses_total{" + backendName + ",code=\"5xx\"} 0\n")
                        .contains("# TYPE haproxy_backend_retry_warnings_total counter\n");
                assertThat(gauge(metrics, "haproxy_frontend_bytes_out_total{frontend=\"services\"}"))
                        .isEqualTo(gauge(metrics, "swarmgate_sent_bytes_total{service=\"api\"}")
                                + gauge(metrics, "swarmgate_sent_bytes_total{service=\"\"}"));
            }
        }
    }

    @Test
    void aRemovedServiceLeavesTheMetricsWithinSecondsAndTheOthersStay() throws Exception {
        try (TestBackend backend = TestBackend.start("demo");
             SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of())) {
            for (String service : List.of("preview-42", "shop")) {
                api(server, "/v1/docker-flow-proxy/reconfigure?serviceName=" + service + "&servicePath=/" + service
                        + "&port=" + backend.port() + "&outboundHostname=127.0.0.1");
            }
            try (RawHttpConnection connection = RawHttpConnection.open(server.proxyPorts().get(0))) {
                connection.exchange("GET /preview-42/1 HTTP/1.1\r\nHost: a\r\n\r\n");
                connection.exchange("GET /shop/1 HTTP/1.1\r\nHost: a\r\n\r\n");
            }
            assertThat(api(server, "/metrics").body()).contains("service=\"preview-42\"");

            assertThat(api(server, "/v1/docker-flow-proxy/remove?serviceName=preview-42").statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(api(server, "/metrics").body()).doesNotContain("preview-42"));
            assertThat(api(server, "/metrics").body())
                    .contains("swarmgate_requests_total{code=\"2xx\",method=\"GET\",service=\"shop\"} 1");
        }
    }

    @Test
    void showsWhenEachServedCertificateExpires(@TempDir Path certs, @TempDir Path secrets) throws Exception {
        Files.writeString(certs.resolve("a.test.pem"), TestCertificates.pem("a.test"));
        Instant notAfter = ServerCertificate.parse("a", TestCertificates.pem("a.test")).notAfter();
        try (SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral()
                .withTls(new TlsSettings(List.of(0), certs, secrets)), Map.of())) {
            String metrics = api(server, "/metrics").body();

            double expiry = gauge(metrics, "swarmgate_certificate_expiry_seconds{name=\"a.test.pem\"}");
            assertThat(expiry).isCloseTo(notAfter.getEpochSecond(), within(86_400.0));
        }
    }

    /** The value of the sample with exactly this name and labels. */
    private static double gauge(String metrics, String sample) {
        return metrics.lines().filter(line -> line.startsWith(sample + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(sample + " not in\n" + metrics));
    }

    private static HttpResponse<String> api(SwarmgateServer server, String pathAndQuery) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + pathAndQuery))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
