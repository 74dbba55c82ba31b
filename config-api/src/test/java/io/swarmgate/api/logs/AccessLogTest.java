package io.swarmgate.api.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.api.ServerSettings;
import io.swarmgate.api.SwarmgateServer;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The access log: off by default, one line per exchange on {@code swarmgate.access} when asked for. */
class AccessLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    @Test
    void writesACommonLogFormatLinePerExchangeWithServiceUpstreamAndDuration() throws Exception {
        try (TestBackend backend = TestBackend.start("demo");
             SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of("ACCESS_LOG", "true"))) {
            route(server, backend);
            int port = server.proxyPorts().get(0);
            RawHttpConnection.Response answer;
            try (RawHttpConnection connection = RawHttpConnection.open(port)) {
                answer = connection.exchange("GET /demo/hello?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");
                connection.exchange("GET /nowhere HTTP/1.0\r\nHost: a\r\n\r\n");
            }

            await().until(() -> lines.list.size() == 2);
            String first = lines.list.get(0).getFormattedMessage();
            assertThat(first).matches("127\\.0\\.0\\.1 - - \\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000] "
                    + "\"GET /demo/hello\\?x=1 HTTP/1\\.1\" 200 \\d+ go-demo 127\\.0\\.0\\.1:" + backend.port()
                    + " \\d+\\.\\d{3}ms -");
            long bytes = Long.parseLong(first.split("\" 200 ")[1].split(" ")[0]);
            assertThat(bytes).as("bytes sent, head included").isGreaterThan(answer.body().length);
            assertThat(lines.list.get(1).getFormattedMessage())
                    .contains("\"GET /nowhere HTTP/1.0\" 503 ").contains(" - - ").endsWith("ms no_route");
        }
    }

    @Test
    void writesJsonLinesWhenAskedAndDebugEnablesIt() throws Exception {
        try (TestBackend backend = TestBackend.start("demo");
             SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(),
                     Map.of("DEBUG", "true", "ACCESS_LOG_FORMAT", "json"))) {
            route(server, backend);
            try (RawHttpConnection connection = RawHttpConnection.open(server.proxyPorts().get(0))) {
                connection.exchange("POST /demo/upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
            }

            await().until(() -> lines.list.size() == 1);
            JsonNode line = new ObjectMapper().readTree(lines.list.get(0).getFormattedMessage());
            assertThat(line.get("client").asText()).isEqualTo("127.0.0.1");
            assertThat(line.get("method").asText()).isEqualTo("POST");
            assertThat(line.get("target").asText()).isEqualTo("/demo/upload");
            assertThat(line.get("status").asInt()).isEqualTo(200);
            assertThat(line.get("service").asText()).isEqualTo("go-demo");
            assertThat(line.get("upstream").asText()).isEqualTo("127.0.0.1:" + backend.port());
            assertThat(line.get("bytesReceived").asLong()).isEqualTo(
                    "POST /demo/upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello".length());
            assertThat(line.get("bytesSent").asLong()).isPositive();
            assertThat(line.get("durationSeconds").asDouble()).isPositive();
            assertThat(line.get("time").asText()).endsWith("Z");
            assertThat(line.get("failure").isNull()).isTrue();
        }
    }

    @Test
    void namesWhyTheProxyAnsweredItselfAndTheAddressItTried() throws Exception {
        int dead;
        try (ServerSocket probe = new ServerSocket(0)) {
            dead = probe.getLocalPort(); // closed again: nothing listens there
        }
        try (SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(),
                Map.of("ACCESS_LOG", "true", "ACCESS_LOG_FORMAT", "json"))) {
            route(server, dead);
            assertThat(RawHttpConnection.get(server.proxyPorts().get(0), "a", "/demo/x").status()).isEqualTo(503);

            await().until(() -> lines.list.size() == 1);
            JsonNode line = new ObjectMapper().readTree(lines.list.get(0).getFormattedMessage());
            assertThat(line.get("failure").asText()).isEqualTo("refused");
            assertThat(line.get("upstream").asText()).isEqualTo("127.0.0.1:" + dead);
        }
    }

    @Test
    void isOffByDefault() throws Exception {
        try (TestBackend backend = TestBackend.start("demo");
             SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of())) {
            route(server, backend);
            assertThat(RawHttpConnection.get(server.proxyPorts().get(0), "a", "/demo/x").status()).isEqualTo(200);
            assertThat(lines.list).isEmpty();
        }
    }

    @Test
    void refusesAnUnknownFormat() {
        assertThatThrownBy(() -> AccessLog.fromEnvironment(Map.of("ACCESS_LOG", "true", "ACCESS_LOG_FORMAT", "xml")))
                .hasMessage("ACCESS_LOG_FORMAT: 'xml' (expected: clf or json)");
        assertThat(AccessLog.fromEnvironment(Map.of("ACCESS_LOG", "false", "DEBUG", "0"))).isEmpty();
    }

    private static void route(SwarmgateServer server, TestBackend backend) throws Exception {
        route(server, backend.port());
    }

    private static void route(SwarmgateServer server, int backendPort) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.apiPort() + "/v1/docker-flow-proxy/reconfigure?serviceName=go-demo"
                        + "&servicePath=/demo&port=" + backendPort + "&outboundHostname=127.0.0.1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
    }
}
