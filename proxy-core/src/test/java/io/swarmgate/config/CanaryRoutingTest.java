package io.swarmgate.config;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code canaryService} through real sockets, with a real backend for each variant: the split by weight, a client
 * kept on its variant by the cookie, a variant forced by header or cookie, and a weight changed while a keep-alive
 * client keeps sending.
 */
class CanaryRoutingTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("stable").backend("canary").build();
    private static final ServiceRegistry registry = new ServiceRegistry(proxy::routes);

    private static void configure(String parameters) {
        registry.apply(ReconfigureParameters.defaults().parse(query("serviceName=shop&servicePath=/shop"
                + "&outboundHostname=127.0.0.1&port=" + proxy.backend("stable").port()
                + "&canaryService=127.0.0.1:" + proxy.backend("canary").port() + "&" + parameters)));
    }

    private static Response get(RawHttpConnection connection, String... headers) throws IOException {
        return connection.exchange("GET /shop HTTP/1.1\r\nHost: shop.test\r\n" + String.join("", headers) + "\r\n");
    }

    private static String variant(Response answer) {
        assertThat(answer.status()).isEqualTo(200);
        return answer.header("X-Backend");
    }

    @Test
    void splitsTheRequestsByWeightWithinTwoPercentOverTenThousand() throws IOException {
        configure("canaryWeight=5");
        int canary = 0;
        int requests = 10_000;
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            for (int i = 0; i < requests; i++) {
                if (variant(get(connection)).equals("canary")) {
                    canary++;
                }
            }
        }

        assertThat(canary * 100.0 / requests).as("the canary's share, in percent").isBetween(3.0, 7.0);
    }

    @Test
    void theCookieKeepsEachClientOnTheVariantItDrew() throws IOException {
        configure("canaryWeight=50&canaryCookie=shop-variant");
        Set<String> drawn = new HashSet<>();
        for (int client = 0; client < 20; client++) {
            try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
                Response first = get(connection);
                String cookie = first.header("Set-Cookie");
                String variant = variant(first);
                drawn.add(variant);

                assertThat(cookie).isEqualTo("shop-variant=" + variant + "; Path=/; HttpOnly");
                for (int i = 0; i < 10; i++) {
                    Response next = get(connection, "Cookie: theme=dark; " + cookie.split(";")[0] + "\r\n");
                    assertThat(variant(next)).isEqualTo(variant);
                    assertThat(next.header("Set-Cookie")).as("pinned already").isNull();
                }
            }
        }
        assertThat(drawn).as("with 50 %, twenty clients drew both").containsExactlyInAnyOrder("stable", "canary");
    }

    @Test
    void aHeaderOrTheCookieForcesAVariantWhateverTheWeight() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            configure("canaryWeight=0&canaryHeader=X-Canary&canaryCookie=shop-variant");
            assertThat(variant(get(connection))).isEqualTo("stable");
            assertThat(variant(get(connection, "X-Canary: canary\r\n"))).isEqualTo("canary");
            assertThat(variant(get(connection, "Cookie: shop-variant=canary\r\n"))).isEqualTo("canary");
            assertThat(variant(get(connection, "X-Canary: stable\r\n", "Cookie: shop-variant=canary\r\n")))
                    .as("the header wins over the cookie").isEqualTo("stable");

            configure("canaryWeight=100&canaryHeader=X-Canary");
            assertThat(variant(get(connection))).isEqualTo("canary");
            assertThat(variant(get(connection, "X-Canary: stable\r\n"))).isEqualTo("stable");
            assertThat(variant(get(connection, "X-Canary: whatever\r\n"))).as("by weight").isEqualTo("canary");
        }
    }

    @Test
    void aWeightChangedAtRunTimeTakesTheNextRequestOfAKeepAliveClient() throws IOException {
        int opened = proxy.backend("stable").connectionsOpened() + proxy.backend("canary").connectionsOpened();
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            // Every exchange on this one connection: a reconfigure between two of them closes nothing.
            for (int round = 0; round < 5; round++) {
                configure("canaryWeight=0");
                for (int i = 0; i < 20; i++) {
                    assertThat(variant(get(connection))).isEqualTo("stable");
                }
                configure("canaryWeight=100");
                for (int i = 0; i < 20; i++) {
                    assertThat(variant(get(connection))).isEqualTo("canary");
                }
            }
        }
        assertThat(proxy.backend("stable").connectionsOpened() + proxy.backend("canary").connectionsOpened() - opened)
                .as("pooled backend connections carried the rounds").isLessThanOrEqualTo(2);
    }
}
