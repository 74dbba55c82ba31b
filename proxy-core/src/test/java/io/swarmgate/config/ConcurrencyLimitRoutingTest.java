package io.swarmgate.config;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code concurrencyLimit} and {@code concurrencyLimitPerClient} through real sockets: requests the backend holds
 * ({@code /slow} never answers) fill the limit, and every way an exchange can end gives its permit back exactly once.
 */
class ConcurrencyLimitRoutingTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("b").build();
    private static final ServiceRegistry registry = new ServiceRegistry(proxy::routes);
    private final java.util.List<RawHttpConnection> held = new java.util.ArrayList<>();

    private static void configure(String parameters) {
        registry.remove("limited");
        registry.apply(ReconfigureParameters.defaults().parse(query("serviceName=limited&servicePath=/&port="
                + proxy.backend().port() + "&outboundHostname=127.0.0.1&" + parameters)));
    }

    @AfterEach
    void closeHeld() throws IOException {
        for (RawHttpConnection connection : held) {
            connection.close();
        }
    }

    private static Response get(String path) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            return connection.exchange("GET " + path + " HTTP/1.1\r\nHost: app.test\r\n\r\n");
        }
    }

    /** A request the backend receives and never answers, on a connection left open. */
    private RawHttpConnection hold() throws IOException {
        int before = proxy.backend().requests();
        RawHttpConnection connection = RawHttpConnection.open(proxy.port());
        held.add(connection);
        connection.send("GET /slow HTTP/1.1\r\nHost: app.test\r\n\r\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.backend().requests() > before);
        return connection;
    }

    @Test
    void theRequestPastTheLimitGets503AtOnceAndTheNextServedOnceOneEnds() throws IOException {
        configure("concurrencyLimit=2");
        RawHttpConnection first = hold();
        hold();
        int before = proxy.backend().requests();

        Response refused = get("/item");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(proxy.backend().requests()).isEqualTo(before);
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/item").status() == 200);
    }

    @Test
    void everyWayAnExchangeEndsGivesItsPermitBackExactlyOnce() throws IOException {
        configure("concurrencyLimit=2&timeoutServer=1");
        for (int i = 0; i < 4; i++) {
            // The proxy learns of a client's leaving when its read completes, which may come after the next request.
            await().atMost(Duration.ofSeconds(10)).until(() -> get("/item").status() == 200);
            hold().close(); // the client leaves while the backend is silent
            RawHttpConnection midBody = RawHttpConnection.open(proxy.port());
            midBody.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 100\r\n\r\nonly ten b");
            midBody.close(); // the client leaves in the middle of its body
        }
        assertThat(get("/slow").status()).as("the backend's timeout").isEqualTo(504);

        // Two permits, no more and no fewer: a permit kept would stop these two, one given back twice let a third in.
        hold();
        hold();
        assertThat(get("/item").status()).isEqualTo(503);
    }

    @Test
    void aClientPastItsOwnLimitGets503WhileTheRouteHasRoom() throws IOException {
        configure("concurrencyLimit=10&concurrencyLimitPerClient=1");
        RawHttpConnection first = hold();

        assertThat(get("/item").status()).as("the same address: 127.0.0.1").isEqualTo(503);
        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/item").status() == 200);
    }
}
