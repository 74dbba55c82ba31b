package io.swarmgate.proxy;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import io.swarmgate.testing.UpgradingBackend;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The upgrade policy through real sockets: an upgrade turns a connection into a tunnel no route rule sees into, so
 * only WebSocket and the protocols a route names in {@code upgradeProtocols} are relayed, never h2c, and a backend's
 * 101 starts a tunnel only when it switches to one of those.
 */
class ProtocolUpgradeTest {
    /** An h2c upgrade with valid settings: at most 100 streams, a 1 GiB window, no push. */
    /** Short, so that a connection wrongly waiting for a request head would be answered 408 within the test. */
    private static final Duration REQUEST_HEAD_TIMEOUT = Duration.ofSeconds(1);
    private static final String H2C_UPGRADE = "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n";

    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder()
            .settings(builder -> builder.timeouts(Timeouts.DEFAULTS.withHttpRequest(REQUEST_HEAD_TIMEOUT)))
            .build();
    private UpgradingBackend backend;

    @BeforeEach
    void start() {
        backend = UpgradingBackend.start();
        ServiceRegistry registry = new ServiceRegistry(proxy::routes);
        String to = "&outboundHostname=127.0.0.1&port=" + backend.port();
        ReconfigureParameters parameters = ReconfigureParameters.defaults();
        registry.apply(parameters.parse(query("serviceName=public&servicePath=/public" + to)));
        registry.apply(parameters.parse(query("serviceName=admin&servicePath=/admin&users=alice:wonder"
                + "&usersPassEncrypted=false&allowedMethods=GET" + to)));
        registry.apply(parameters.parse(query("serviceName=tunnels&servicePath=/foo&upgradeProtocols=foo" + to)));
        registry.apply(parameters.parse(query("serviceName=brief&servicePath=/brief&upgradeProtocols=foo"
                + "&timeoutTunnel=1" + to)));
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void theBackendSwitchesToHttp2WhenAskedDirectly() throws Exception {
        // Without this the tests below could pass against a backend that never upgrades.
        try (RawHttpConnection direct = RawHttpConnection.open(backend.port())) {
            Response answer = direct.exchange("GET /public/x HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                    + H2C_UPGRADE + "\r\n");

            assertThat(answer.status()).isEqualTo(101);
            assertThat(answer.header("upgrade")).isEqualTo("h2c");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.h2cUpgrades() == 1);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(backend.http2Paths()).containsExactly("/public/x"));
    }

    @ParameterizedTest(name = "Connection: {0}")
    @ValueSource(strings = {"Upgrade", "Upgrade, HTTP2-Settings"})
    void anH2cUpgradeIsServedAsPlainHttpAndTheNextRequestMeetsTheRouteRules(String connection) throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            Response first = client.exchange("GET /public/x HTTP/1.1\r\nHost: a\r\nConnection: " + connection
                    + "\r\n" + H2C_UPGRADE + "\r\n");

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.bodyText()).startsWith("GET /public/x HTTP/1.1\n")
                    .doesNotContain("upgrade").doesNotContain("http2-settings");

            Response second = client.exchange("GET /admin/users HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(second.status()).isEqualTo(401);
            Response third = client.exchange("POST /admin/users HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n");
            assertThat(third.status()).isEqualTo(403);
        }
        assertThat(backend.h2cUpgrades()).isZero();
        assertThat(backend.http2Paths()).isEmpty();
        assertThat(backend.requests()).hasSize(1);
    }

    @Test
    void aConnectionIdleAfterARefusedUpgradeWaitsForItsNextRequestAsAnyKeepAliveConnection() throws Exception {
        // The JDK's HttpClient offers h2c on every plain request: its idle connection must not be taken for one whose
        // next head is arriving (answered 408 after the head timeout, and holding a graceful stop until then).
        try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            Response refused = client.exchange("GET /public/x HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                    + H2C_UPGRADE + "\r\n");
            assertThat(refused.status()).isEqualTo(200);

            client.setReadTimeout((int) REQUEST_HEAD_TIMEOUT.multipliedBy(2).toMillis());
            assertThatThrownBy(() -> client.readBytes(1)).isInstanceOf(SocketTimeoutException.class);
            assertThat(client.exchange("GET /public/after HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void anUpgradeTheRouteDoesNotNameIsNotRelayedAndTheRequestIsServedAsHttp() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            Response refused = client.exchange("GET /public/switch HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                    + "Upgrade: foo\r\n\r\n");

            assertThat(refused.status()).isEqualTo(200);
            assertThat(refused.bodyText()).startsWith("GET /public/switch HTTP/1.1\n").doesNotContain("upgrade");

            Response next = client.exchange("GET /public/after HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).startsWith("GET /public/after HTTP/1.1\n");
        }
    }

    @Test
    void anUpgradeTheRouteNamesIsRelayedWithoutTheOthersAndTunnelsOnceTheBackendSwitchesToIt() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            Response switched = client.exchange("GET /foo/switch HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                    + "Upgrade: h2c, FOO/2, bar\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");

            assertThat(switched.status()).isEqualTo(101);
            assertThat(switched.header("upgrade")).isEqualTo("FOO/2");
            client.send("ping through the tunnel");
            assertThat(new String(client.readBytes(23), StandardCharsets.US_ASCII))
                    .isEqualTo("ping through the tunnel");
        }
        assertThat(backend.requests()).singleElement().asString()
                .contains("upgrade: FOO/2\n").doesNotContain("h2c").doesNotContain("http2-settings");
        assertThat(backend.h2cUpgrades()).isZero();
    }

    @Test
    void aTunnelSilentLongerThanItsRoutesTimeoutTunnelIsClosed() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            Response switched = client.exchange("GET /brief/switch HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                    + "Upgrade: foo\r\n\r\n");
            assertThat(switched.status()).isEqualTo(101);
            client.send("still there");
            assertThat(new String(client.readBytes(11), StandardCharsets.US_ASCII)).isEqualTo("still there");
            long silentFrom = System.nanoTime();
            client.setReadTimeout(10_000);

            assertThat(client.isClosedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - silentFrom))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(8));
        }
    }

    /**
     * 502 rather than closing without a word: the backend broke the exchange, and the client, which asked for an
     * upgrade that did not happen, learns so and may go on with HTTP on the same connection.
     */
    @Test
    void aSwitchToAProtocolThatWasNotAskedForIsA502AndTheConnectionGoesOnAsHttp() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            Response other = client.exchange("GET /foo/switch-other HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                    + "Upgrade: foo\r\n\r\n");
            assertThat(other.status()).isEqualTo(502);

            client.send("GET /public/after HTTP/1.1\r\nHost: a\r\n\r\n");
            Response next = client.readResponse();
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).startsWith("GET /public/after HTTP/1.1\n");
        }
    }

    @Test
    void aSwitchToAnUpgradeThatWasNotRelayedIsA502() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            Response h2c = client.exchange("GET /public/switch-other HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                    + H2C_UPGRADE + "\r\n");
            assertThat(h2c.status()).isEqualTo(502);
        }
    }

    @Test
    void aSwitchAnsweringARequestThatAskedForNoUpgradeIsA502() throws Exception {
        try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            assertThat(client.exchange("GET /foo/switch-other HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(502);
            assertThat(client.exchange("GET /foo/plain HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
        }
    }
}
