package io.swarmgate.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.api.ServerSettings;
import io.swarmgate.api.SwarmgateServer;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} on the API port shows, in Prometheus' format, what the proxy served and what changed. */
class MetricsEndpointTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void countsRequestsByServiceCodeAndMethodAndConfigurationChanges() throws Exception {
        try (TestBackend backend = TestBackend.start("demo");
             SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of())) {
            int proxyPort = server.proxyPorts().get(0);
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
                        .contains("swarmgate_config_changes_total{result=\"rejected\",source=\"api\"} 1");
            }
        }
    }

    private static HttpResponse<String> api(SwarmgateServer server, String pathAndQuery) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + pathAndQuery))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
