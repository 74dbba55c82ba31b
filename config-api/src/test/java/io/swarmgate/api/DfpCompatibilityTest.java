package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import io.swarmgate.testing.TlsTestClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * What a user migrating from Docker Flow Proxy meets: parameters without behaviour here refused by name (or accepted
 * with a warning when asked), {@code proxyInstanceName} filtering, header rules with {@code ssl_fc} conditions and
 * {@code *example.com} domains, through the real API and data plane.
 */
class DfpCompatibilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path certs;
    private TestBackend backend;
    private SwarmgateServer server;

    @BeforeEach
    void startBackend() {
        backend = TestBackend.start("b");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        backend.close();
    }

    private void start(Map<String, String> environment) throws IOException {
        Files.writeString(certs.resolve("a.test.pem"), TestCertificates.pem("a.test"));
        server = SwarmgateServer.start(ServerSettings.ephemeral()
                .withTls(new TlsSettings(List.of(0), certs, certs.resolve("secrets"))), environment);
    }

    private HttpResponse<String> reconfigure(String query) throws Exception {
        return SwarmgateServerTest.call(server, "GET", "/v1/docker-flow-proxy/reconfigure?serviceName=web"
                + "&outboundHostname=127.0.0.1&port=" + backend.port() + "&" + query);
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<String> answer) throws IOException {
        return JSON.readTree(answer.body());
    }

    private RawHttpConnection.Response plain(String host, String path) throws IOException {
        return RawHttpConnection.get(server.proxyPorts().get(0), host, path);
    }

    private String overTls(String path) throws Exception {
        try (TlsTestClient client = TlsTestClient.open(server.httpsPorts().get(0), "a.test")) {
            return client.exchange("GET " + path + " HTTP/1.1\r\nHost: a.test\r\n\r\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"backendExtra", "templateFePath", "templateBePath", "serviceGroup", "balanceGroup.1"})
    void refusesAParameterWithoutBehaviourNamingItAndWhatToUseInstead(String name) throws Exception {
        start(Map.of());
        String destination = name.endsWith(".1") ? "&servicePath.1=/x&port.1=" + backend.port() : "";

        HttpResponse<String> answer = reconfigure("servicePath=/&" + name + "=" + encoded("http-request deny")
                + destination);

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(json(answer).get("Message").asText()).startsWith(name + ": not supported (")
                .endsWith("; UNSUPPORTED_PARAMETERS=warn accepts it without effect");
        assertThat(server.registry().services()).isEmpty();
    }

    @Test
    void acceptsThemWithAWarningInTheAnswerAndTheLogWhenAsked() throws Exception {
        start(Map.of("UNSUPPORTED_PARAMETERS", "warn"));
        ListAppender<ILoggingEvent> log = capture();

        HttpResponse<String> answer = reconfigure("servicePath=/&backendextra=" + encoded("http-request deny"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).get("Message").asText()).startsWith("backendextra: not supported (raw HAProxy")
                .endsWith("accepted without effect (UNSUPPORTED_PARAMETERS=warn)");
        assertThat(log.list).anySatisfy(line -> assertThat(line.getFormattedMessage())
                .startsWith("Reconfigured web with a warning: backendextra: not supported"));
        assertThat(plain("localhost", "/").status()).isEqualTo(200); // routed, the rule has no effect
    }

    private static ListAppender<ILoggingEvent> capture() {
        return capture("io.swarmgate.api.http.DfpEndpoints");
    }

    private static ListAppender<ILoggingEvent> capture(String logger) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(logger)).addAppender(appender);
        return appender;
    }

    @Test
    void namesEachDfpVariableItDoesNotReadInAWarningAtStart() throws Exception {
        ListAppender<ILoggingEvent> log = capture("io.swarmgate.api.UnhonouredVariables");

        start(Map.of("EXTRA_FRONTEND", "option httplog", "DEBUG_HTTP_FORMAT", "%ci", "TIMEOUT_CONNECT", "5"));

        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "EXTRA_FRONTEND is set but not read: not supported: Swarmgate renders no HAProxy configuration; "
                        + "express the rules with reconfigure parameters",
                "DEBUG_HTTP_FORMAT is set but not read: not supported: HAProxy log formats; ACCESS_LOG_FORMAT "
                        + "chooses clf or json");
    }

    @Test
    void routesOnlyTheServicesOfItsInstanceWhenFiltering() throws Exception {
        start(Map.of("FILTER_PROXY_INSTANCE_NAME", "true", "PROXY_INSTANCE_NAME", "blue"));

        HttpResponse<String> other = reconfigure("servicePath=/&proxyInstanceName=green");
        HttpResponse<String> unnamed = SwarmgateServerTest.call(server, "GET",
                "/v1/docker-flow-proxy/reconfigure?serviceName=unnamed&servicePath=/u&port=80");
        assertThat(server.registry().services()).isEmpty();
        HttpResponse<String> mine = reconfigure("servicePath=/&proxyInstanceName=blue");

        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(json(other).get("Message").asText()).isEqualTo("Not for this proxy: proxyInstanceName 'green' "
                + "is not PROXY_INSTANCE_NAME 'blue' (FILTER_PROXY_INSTANCE_NAME=true)");
        assertThat(unnamed.statusCode()).isEqualTo(200);
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(json(mine).get("Message").asText()).isEmpty();
        assertThat(server.registry().services()).extracting(ServiceSpec::serviceName).containsExactly("web");
    }

    @Test
    void appliesHeaderRulesUnderTheirSslFcCondition() throws Exception {
        start(Map.of());
        HttpResponse<String> answer = reconfigure("servicePath=/&setResHeader="
                + encoded("X-Tls yes if { ssl_fc },X-Plain yes if !{ ssl_fc },X-Any yes")
                + "&addReqHeader=" + encoded("X-Req-Tls on unless !{ssl_fc},X-Req-Plain \"a if b\" unless { ssl_fc }"));
        assertThat(answer.statusCode()).isEqualTo(200);

        RawHttpConnection.Response plain = plain("localhost", "/");
        String tls = overTls("/");

        assertThat(plain.header("X-Tls")).isNull();
        assertThat(plain.header("X-Plain")).isEqualTo("yes");
        assertThat(plain.header("X-Any")).isEqualTo("yes");
        assertThat(plain.bodyText()).contains("x-req-plain: a if b\n").doesNotContain("x-req-tls");
        assertThat(tls).containsIgnoringCase("X-Tls: yes\r\n").doesNotContainIgnoringCase("X-Plain:")
                .containsIgnoringCase("X-Any: yes\r\n").contains("x-req-tls: on\n").doesNotContain("x-req-plain");
    }

    @Test
    void refusesOtherHaproxyConditions() throws Exception {
        start(Map.of());

        HttpResponse<String> answer = reconfigure("servicePath=/&setResHeader="
                + encoded("X-A 1 if { path_beg /a }"));

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(json(answer).get("Message").asText()).isEqualTo("setResHeader: 'X-A 1 if { path_beg /a }' "
                + "(expected: no condition, or 'if { ssl_fc }' or 'if !{ ssl_fc }' (HAProxy's other conditions are "
                + "not supported))");
    }

    @Test
    void matchesADomainWrittenWithAStarAndNoDotAsASuffixAsDfpDoes() throws Exception {
        start(Map.of());

        HttpResponse<String> answer = reconfigure("servicePath=/&serviceDomain=" + encoded("*example.com,b.org"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(plain("example.com", "/").status()).isEqualTo(200);
        assertThat(plain("www.example.com:8080", "/").status()).isEqualTo(200);
        assertThat(plain("notexample.com", "/").status()).isEqualTo(200); // hdr_end(host), as in DFP
        assertThat(plain("sub.b.org", "/").status()).isEqualTo(200); // the whole service matches by suffix
        assertThat(plain("example.org", "/").status()).isEqualTo(503);
        assertThat(plain("example.com.evil.org", "/").status()).isEqualTo(503);
        assertThat(reconfigure("servicePath=/&serviceDomainAlgo=hdr(host)&serviceDomain=*example.com").statusCode())
                .isEqualTo(400);
    }

    /** The settings Main reads from these variables, as the process would. */
    private static ServerSettings settingsOf(Map<String, String> environment) {
        Main main = new Main(environment);
        Main.commandLine(main).parseArgs();
        return main.settings();
    }

    @Test
    void servesHttpsOutOfTheBoxAsDfpsImageDoes() throws Exception {
        ServerSettings defaults = settingsOf(Map.of());
        assertThat(defaults.proxyPorts()).containsExactly(80);
        assertThat(defaults.tls().ports()).containsExactly(443);

        // The same listeners on free ports, with no certificate at all: a self-signed one answers until there is one.
        server = SwarmgateServer.start(ServerSettings.ephemeral()
                .withTls(new TlsSettings(List.of(0), certs.resolve("none"), certs.resolve("none"))), Map.of());
        reconfigure("servicePath=/");

        assertThat(overTls("/")).startsWith("HTTP/1.1 200 ").contains("x-forwarded-proto: https\n");
    }

    @Test
    void takesTheClientAddressOfAProxyProtocolHeaderOnABindPortWithAcceptProxy() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, String> environment = Map.of("IP", "127.0.0.1", "PORT", "0", "DISCOVERY", "off",
                "DEFAULT_PORTS", "0", "BIND_PORTS", port + " accept-proxy", "ACCESS_LOG", "true");
        ListAppender<ILoggingEvent> accessLog = capture("swarmgate.access");
        server = SwarmgateServer.start(settingsOf(environment), environment);
        reconfigure("servicePath=/&addReqHeader=" + encoded("X-Client %[src]"));

        RawHttpConnection.Response answer;
        try (RawHttpConnection connection = RawHttpConnection.open(port)) {
            answer = connection.exchange("PROXY TCP4 198.51.100.9 192.0.2.1 40000 " + port + "\r\n"
                    + "GET /a HTTP/1.1\r\nHost: b\r\n\r\n");
        }

        assertThat(answer.bodyText()).contains("x-forwarded-for: 198.51.100.9\n", "x-client: 198.51.100.9\n");
        await().until(() -> !accessLog.list.isEmpty());
        assertThat(accessLog.list.get(0).getFormattedMessage()).startsWith("198.51.100.9 ");
        try (RawHttpConnection withoutHeader = RawHttpConnection.open(port)) {
            withoutHeader.send("GET /a HTTP/1.1\r\nHost: b\r\n\r\n");
            assertThat(withoutHeader.isClosedByPeer()).isTrue();
        }
    }
}
