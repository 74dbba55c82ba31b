package io.swarmgate.config;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.swarmgate.testing.LoopbackWireMock;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code breakerErrorRatio} and its companions through real sockets, against a WireMock backend whose {@code /ok}
 * answers 200 and {@code /fail} 500: where the breaker opens, what the client gets while it is open, and how probes
 * close or reopen it.
 */
class CircuitBreakerRoutingTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().build();
    private static final ServiceRegistry registry = new ServiceRegistry(proxy::routes);
    private static WireMockServer backend;

    @BeforeAll
    static void startBackend() {
        backend = LoopbackWireMock.start();
        backend.stubFor(get(urlEqualTo("/ok")).willReturn(aResponse().withStatus(200).withBody("ok")));
        backend.stubFor(get(urlEqualTo("/fail")).willReturn(aResponse().withStatus(500).withBody("broken")));
    }

    @AfterAll
    static void stopBackend() {
        backend.stop();
    }

    @BeforeEach
    void configure() {
        backend.resetRequests();
        // A new service each time, with a breaker of its own.
        registry.remove("breaker");
        registry.apply(ReconfigureParameters.defaults().parse(query("serviceName=breaker&servicePath=/&port="
                + backend.port() + "&outboundHostname=127.0.0.1&breakerErrorRatio=50%&breakerMinRequests=6"
                + "&breakerOpenFor=400ms&breakerProbes=2&retryOn=connect")));
    }

    private static Response send(String path) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            return connection.exchange("GET " + path + " HTTP/1.1\r\nHost: app.test\r\n\r\n");
        }
    }

    private static int backendRequests() {
        return backend.findAll(anyRequestedFor(urlPathMatching("/.*"))).size();
    }

    private static void open() throws IOException {
        for (String path : new String[] {"/ok", "/ok", "/fail", "/ok", "/fail", "/fail"}) {
            send(path);
        }
        assertThat(send("/ok").status()).isEqualTo(503);
    }

    @Test
    void opensExactlyWhenTheWindowReachesTheRatioWithItsMinimumOfRequests() throws IOException {
        assertThat(send("/fail").status()).isEqualTo(500);
        assertThat(send("/fail").status()).isEqualTo(500);
        assertThat(send("/fail").status()).isEqualTo(500);
        assertThat(send("/ok").status()).isEqualTo(200);
        assertThat(send("/ok").status()).as("5 requests, under the minimum of 6: still closed").isEqualTo(200);
        assertThat(send("/ok").status()).as("6 requests, 3 failed: 50 %, not yet seen").isEqualTo(200);
        assertThat(send("/ok").status()).as("7 requests, 3 failed: under 50 %").isEqualTo(200);
        assertThat(send("/fail").status()).as("8 requests, 4 failed: 50 %, opens").isEqualTo(500);

        Response refused = send("/ok");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.bodyText()).contains("circuit breaker is open");
        assertThat(backendRequests()).as("requests that reached the backend").isEqualTo(8);
    }

    @Test
    void whileOpenEveryRequestIs503AtOnceWithoutTouchingTheBackend() throws IOException {
        open();
        int before = backendRequests();

        for (int i = 0; i < 5; i++) {
            assertThat(send("/ok").status()).isEqualTo(503);
        }

        assertThat(backendRequests()).isEqualTo(before);
    }

    @Test
    void probesThatSucceedCloseIt() throws IOException {
        open();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> send("/ok").status() == 200);
        assertThat(send("/ok").status()).as("the second probe").isEqualTo(200);

        // Closed, with a fresh window: failures go to the backend again until they reach the ratio anew.
        assertThat(send("/fail").status()).isEqualTo(500);
        assertThat(send("/ok").status()).isEqualTo(200);
        assertThat(send("/fail").status()).isEqualTo(500);
    }

    @Test
    void aProbeThatFailsReopensIt() throws IOException {
        open();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> send("/fail").status() == 500);
        int before = backendRequests();

        assertThat(send("/ok").status()).isEqualTo(503);
        assertThat(backendRequests()).isEqualTo(before);
    }
}
