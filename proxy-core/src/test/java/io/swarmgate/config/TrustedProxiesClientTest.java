package io.swarmgate.config;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.proxy.CompletedExchange;
import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.TrustedProxies;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code TRUSTED_PROXIES} through real sockets: from a trusted peer (here a PROXY protocol address in 192.0.2.0/24)
 * the client is read from {@code X-Forwarded-For} for the IP lists, the rate limit and the access log; from any other
 * peer a spoofed header changes nothing.
 */
class TrustedProxiesClientTest {
    private static final Queue<String> loggedClients = new ConcurrentLinkedQueue<>();
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("b")
            .settings(builder -> builder.http(0, true).trustedProxies(TrustedProxies.parse("192.0.2.0/24"))
                    .observer(new ProxyObserver() {
                        @Override
                        public void exchangeCompleted(CompletedExchange exchange) {
                            loggedClients.add(((InetSocketAddress) exchange.client()).getAddress().getHostAddress());
                        }
                    }))
            .build();
    private static final ServiceRegistry registry = new ServiceRegistry(proxy::routes);
    private static final String FROM_TRUSTED = "PROXY TCP4 192.0.2.10 192.0.2.1 51234 80\r\n";
    private static final String FROM_UNTRUSTED = "PROXY TCP4 198.51.100.9 192.0.2.1 51234 80\r\n";

    @BeforeEach
    void clearLog() {
        loggedClients.clear();
    }

    private static void configure(String parameters) {
        registry.apply(ReconfigureParameters.defaults().parse(query("outboundHostname=127.0.0.1&port="
                + proxy.backend().port() + "&" + parameters)));
    }

    private static Response send(int port, String preface, String path, String... headers) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(port)) {
            return connection.exchange(preface + "GET " + path + " HTTP/1.1\r\nHost: app.test\r\n"
                    + String.join("", headers) + "\r\n");
        }
    }

    private static int acceptProxyPort() {
        return proxy.ports().get(0);
    }

    private static int plainPort() {
        return proxy.ports().get(1);
    }

    @Test
    void fromATrustedPeerTheClientIsTheRightmostEntryThatIsNoTrustedProxy() throws IOException {
        configure("serviceName=office&servicePath=/office&allowedIps=198.51.100.1");
        configure("serviceName=origin&servicePath=/origin&allowedIps=203.0.113.50");
        String forwarded = "X-Forwarded-For: 203.0.113.50, 198.51.100.1, 192.0.2.11\r\n";

        Response served = send(acceptProxyPort(), FROM_TRUSTED, "/office", forwarded);
        Response refused = send(acceptProxyPort(), FROM_TRUSTED, "/origin", forwarded);

        assertThat(served.status()).isEqualTo(200);
        assertThat(served.bodyText()).as("the backend gets every entry, and the peer appended")
                .contains("x-forwarded-for: 203.0.113.50, 198.51.100.1, 192.0.2.11, 192.0.2.10\n");
        assertThat(refused.status()).as("a client left of an untrusted entry could have been written by it")
                .isEqualTo(403);
        await().until(() -> loggedClients.size() == 2);
        assertThat(loggedClients).containsOnly("198.51.100.1");
    }

    @Test
    void everyFieldOfTheHeaderCountsInOrder() throws IOException {
        configure("serviceName=fields&servicePath=/fields&allowedIps=203.0.113.50");

        assertThat(send(acceptProxyPort(), FROM_TRUSTED, "/fields", "X-Forwarded-For: 203.0.113.50\r\n",
                "X-Forwarded-For: 192.0.2.11\r\n").status()).isEqualTo(200);
        assertThat(send(acceptProxyPort(), FROM_TRUSTED, "/fields", "X-Forwarded-For: 192.0.2.11\r\n",
                "X-Forwarded-For: 198.51.100.1\r\n").status()).isEqualTo(403);
    }

    @Test
    void aHeaderSpoofedByAnUntrustedPeerIsNeverRead() throws IOException {
        configure("serviceName=spoofed&servicePath=/spoofed&allowedIps=203.0.113.50");
        String spoofed = "X-Forwarded-For: 203.0.113.50\r\n";

        Response overProxyProtocol = send(acceptProxyPort(), FROM_UNTRUSTED, "/spoofed", spoofed);
        Response direct = send(plainPort(), "", "/spoofed", spoofed);
        Response trustedSpoofedBy = send(acceptProxyPort(), FROM_TRUSTED, "/spoofed",
                "X-Forwarded-For: 203.0.113.50, 198.51.100.9\r\n");

        assertThat(overProxyProtocol.status()).isEqualTo(403);
        assertThat(direct.status()).isEqualTo(403);
        assertThat(trustedSpoofedBy.status()).as("what an untrusted hop wrote is not read either").isEqualTo(403);
        await().until(() -> loggedClients.size() == 3);
        assertThat(loggedClients).containsExactlyInAnyOrder("198.51.100.9", "127.0.0.1", "198.51.100.9");
    }

    @Test
    void theRateLimitCountsEachForwardedClientApart() throws IOException {
        configure("serviceName=limited&servicePath=/limited&rateLimit=1/m");
        String first = "X-Forwarded-For: 203.0.113.1\r\n";

        assertThat(send(acceptProxyPort(), FROM_TRUSTED, "/limited", first).status()).isEqualTo(200);
        assertThat(send(acceptProxyPort(), FROM_TRUSTED, "/limited", first).status()).isEqualTo(429);
        assertThat(send(acceptProxyPort(), FROM_TRUSTED, "/limited", "X-Forwarded-For: 203.0.113.2\r\n").status())
                .isEqualTo(200);
        assertThat(send(plainPort(), "", "/limited", first).status())
                .as("a spoofed header from an untrusted peer does not get a fresh bucket").isEqualTo(200);
        assertThat(send(plainPort(), "", "/limited", "X-Forwarded-For: 203.0.113.3\r\n").status()).isEqualTo(429);
    }
}
