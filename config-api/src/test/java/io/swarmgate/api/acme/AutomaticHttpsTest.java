package io.swarmgate.api.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.api.ServerSettings;
import io.swarmgate.api.SwarmgateServer;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.proxy.Timeouts;
import io.swarmgate.testing.TlsTestClient;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic HTTPS of one replica without a Docker socket, against Pebble with real validation: a service asks for a
 * certificate with {@code letsencrypt.host}, the proxy answers the CA's HTTP-01 or TLS-ALPN-01 validation on its own
 * ports and serves the certificate by SNI.
 */
class AutomaticHttpsTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAILED = "swarmgate_acme_orders_total{result=\"failed\"}";

    @TempDir
    static Path storage;
    private static int httpPort;
    private static int tlsPort;
    private static Pebble pebble;
    private SwarmgateServer server;

    @BeforeAll
    static void startPebble() throws Exception {
        Pebble.assumeInstalled();
        httpPort = Pebble.freePort();
        tlsPort = Pebble.freePort();
        pebble = Pebble.start(storage.resolve("pebble"), httpPort, tlsPort, 3600, List.of("refused.test"));
    }

    @AfterAll
    static void stopPebble() {
        if (pebble != null) {
            pebble.close();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private SwarmgateServer start(String name, Map<String, String> more) {
        Path files = storage.resolve(name);
        Map<String, String> environment = new HashMap<>(Map.of("ACME_ENABLED", "true",
                "ACME_DIRECTORY", pebble.directory().toString(), "ACME_CA_FILE", pebble.caFile().toString(),
                "ACME_EMAIL", "ops@swarmgate.test", "ACME_RETRY_INTERVAL", "500",
                "STATE_FILE", files.resolve("state.json").toString(),
                // No Docker engine: a lone replica, which orders without asking anyone.
                "DOCKER_HOST", "unix://" + files.resolve("no-docker.sock")));
        environment.putAll(more);
        server = SwarmgateServer.start(new ServerSettings("127.0.0.1", 0, List.of(httpPort), ",", false,
                Timeouts.DEFAULTS, ServerSettings.DEFAULT_SHUTDOWN_GRACE)
                .withTls(new TlsSettings(List.of(tlsPort), files.resolve("certs"), files.resolve("secrets"))),
                environment);
        return server;
    }

    static HttpResponse<String> api(SwarmgateServer server, String pathAndQuery) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.apiPort() + pathAndQuery))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static String reconfigure(String domain) {
        return "/v1/docker-flow-proxy/reconfigure?serviceName=web&servicePath=/&port=8080&serviceDomain=" + domain
                + "&letsencrypt.host=" + domain;
    }

    /** The certificate a handshake naming {@code host} gets, once it is one Pebble issued. */
    static X509Certificate awaitIssued(int port, String host, Duration within) {
        return await().atMost(within).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> served(port, host), leaf -> leaf.getIssuerX500Principal().getName().contains("Pebble"));
    }

    /** A sample's value on the replica's {@code /metrics}, 0 when absent. */
    static double metric(SwarmgateServer server, String sample) throws Exception {
        for (String line : api(server, "/metrics").body().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1));
            }
        }
        return 0;
    }

    static List<String> names(X509Certificate leaf) throws Exception {
        return leaf.getSubjectAlternativeNames().stream().map(entry -> entry.get(1).toString()).toList();
    }

    static X509Certificate served(int port, String host) throws Exception {
        try (TlsTestClient client = TlsTestClient.open(port, host)) {
            return client.leaf();
        }
    }

    @Test
    void aLabelledServiceGetsItsCertificateOverHttp01AndServesItBySni() throws Exception {
        start("http01", Map.of("ACME_CHALLENGE", "http-01"));
        long ordersBefore = pebble.orders();

        long started = System.nanoTime();
        assertThat(api(server, reconfigure("http01.test")).statusCode()).isEqualTo(200);
        X509Certificate leaf = awaitIssued(tlsPort, "http01.test", Duration.ofSeconds(10));
        long millis = (System.nanoTime() - started) / 1_000_000;

        System.out.printf("ACME figure: label to certificate served (http-01): %d ms%n", millis);
        assertThat(names(leaf)).containsExactly("http01.test");
        assertThat(pebble.orders() - ordersBefore).isEqualTo(1);
        assertThat(pebble.httpValidations()).isPositive();
        JsonNode certs = JSON.readTree(api(server, "/v1/docker-flow-proxy/certs").body()).get("Certs");
        assertThat(certs.findValuesAsText("Source")).contains("acme");
        assertThat(api(server, "/metrics").body()).contains("swarmgate_acme_orders_total{result=\"issued\"} 1.0");
    }

    @Test
    void aLabelledServiceGetsItsCertificateOverTlsAlpn01() throws Exception {
        start("tls-alpn", Map.of("ACME_CHALLENGE", "tls-alpn-01"));
        long httpValidations = pebble.httpValidations();

        assertThat(api(server, reconfigure("alpn.test")).statusCode()).isEqualTo(200);
        X509Certificate leaf = awaitIssued(tlsPort, "alpn.test", Duration.ofSeconds(10));

        assertThat(names(leaf)).containsExactly("alpn.test");
        // Validated, and not over HTTP: the data plane answered the TLS-ALPN-01 handshake.
        assertThat(pebble.httpValidations()).isEqualTo(httpValidations);
    }

    @Test
    void aNameTheCaRefusesFailsCleanlyAndIsRetriedWithBackOff() throws Exception {
        start("refused", Map.of());
        long ordersBefore = pebble.orders();

        assertThat(api(server, reconfigure("refused.test")).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> metric(server, FAILED) >= 2);
        Thread.sleep(3000); // a window to count orders in, not a wait for a condition
        assertThat(pebble.orders() - ordersBefore).as("orders in about 4 s: 0.5 s, 1 s, 2 s… apart, no tight loop")
                .isBetween(2L, 5L);
        assertThat(names(served(tlsPort, "refused.test"))).doesNotContain("refused.test");
    }

    @Test
    void aNameThatDoesNotLeadToTheProxyFailsValidationAndIsRetriedWithBackOff() throws Exception {
        start("elsewhere", Map.of());
        pebble.doesNotResolve("elsewhere.test");
        long ordersBefore = pebble.orders();

        assertThat(api(server, reconfigure("elsewhere.test")).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> metric(server, FAILED) >= 2);
        assertThat(pebble.orders() - ordersBefore).isLessThanOrEqualTo(3);
        assertThat(names(served(tlsPort, "elsewhere.test"))).doesNotContain("elsewhere.test");
        assertThat(metric(server, "swarmgate_acme_orders_total{result=\"issued\"}")).isZero();
    }

    @Test
    void aWildcardOrAnUnroutedNameIsRefusedWithA400() throws Exception {
        start("names", Map.of());

        HttpResponse<String> wildcard = api(server, "/v1/docker-flow-proxy/reconfigure?serviceName=web"
                + "&servicePath=/&port=8080&serviceDomain=*.w.test&letsencrypt.host=*.w.test");
        HttpResponse<String> unrouted = api(server, "/v1/docker-flow-proxy/reconfigure?serviceName=web"
                + "&servicePath=/&port=8080&serviceDomain=a.test&letsencrypt.host=b.test");

        assertThat(wildcard.statusCode()).isEqualTo(400);
        assertThat(wildcard.body()).contains("letsencrypt.host: '*.w.test' (expected: no wildcard");
        assertThat(unrouted.statusCode()).isEqualTo(400);
        assertThat(unrouted.body()).contains("letsencrypt.host: 'b.test' (expected: one of the service's "
                + "serviceDomain names");
        assertThat(server.registry().services()).isEmpty();
    }

    @Test
    void aRestartedReplicaServesItsCertificateBeforeAnyNewOrder() throws Exception {
        start("restart", Map.of());
        api(server, reconfigure("restart.test"));
        BigInteger serial = awaitIssued(tlsPort, "restart.test", Duration.ofSeconds(10)).getSerialNumber();
        server.stop();
        long ordersBefore = pebble.orders();

        start("restart", Map.of());

        assertThat(served(tlsPort, "restart.test").getSerialNumber()).isEqualTo(serial);
        assertThat(pebble.orders()).isEqualTo(ordersBefore);
    }
}
