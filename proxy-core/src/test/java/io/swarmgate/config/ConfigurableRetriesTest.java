package io.swarmgate.config;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.swarmgate.testing.LoopbackWireMock;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code retryAttempts}, {@code retryOn}, {@code retryBackoff}, {@code retryBudget}, {@code retryNonIdempotent}
 * through real sockets, against a WireMock backend that fails as told: the attempts it receives and what the client
 * gets.
 */
class ConfigurableRetriesTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().build();
    private static final ServiceRegistry registry = new ServiceRegistry(proxy::routes);
    private static WireMockServer backend;

    @BeforeAll
    static void startBackend() {
        backend = LoopbackWireMock.start();
    }

    @AfterAll
    static void stopBackend() {
        backend.stop();
    }

    @BeforeEach
    void forget() {
        backend.resetAll();
    }

    private static void configure(String parameters) {
        registry.apply(ReconfigureParameters.defaults().parse(query("serviceName=retries&servicePath=/&port="
                + backend.port() + "&outboundHostname=127.0.0.1" + (parameters.isEmpty() ? "" : "&" + parameters))));
    }

    /** The backend answers 503 {@code failures} times, then 200. */
    private static void failingThenOk(int failures) {
        String state = STARTED;
        for (int i = 0; i < failures; i++) {
            String next = "failed " + (i + 1);
            backend.stubFor(any(urlPathMatching("/.*")).inScenario("flaky").whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(503).withBody("busy")).willSetStateTo(next));
            state = next;
        }
        backend.stubFor(any(urlPathMatching("/.*")).inScenario("flaky").whenScenarioStateIs(state)
                .willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    private static Response send(String request) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            return connection.exchange(request);
        }
    }

    private static Response get() throws IOException {
        return send("GET /item HTTP/1.1\r\nHost: app.test\r\n\r\n");
    }

    private static int attempts() {
        return backend.findAll(anyRequestedFor(urlPathMatching("/.*"))).size();
    }

    @Test
    void a503IsAnsweredAsItCameUnlessTheRouteRetriesIt() throws IOException {
        configure("");
        failingThenOk(1);
        assertThat(get().status()).as("the default retries no status").isEqualTo(503);
        assertThat(attempts()).isEqualTo(1);

        backend.resetAll();
        configure("retryOn=503&retryAttempts=3");
        failingThenOk(2);
        Response retried = get();
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.bodyText()).isEqualTo("ok");
        assertThat(attempts()).isEqualTo(3);
    }

    @Test
    void theAttemptsBoundTheRetriesAndTheLastAnswerGoesBack() throws IOException {
        configure("retryOn=503&retryAttempts=2");
        failingThenOk(5);

        Response answer = get();

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.bodyText()).isEqualTo("busy");
        assertThat(attempts()).isEqualTo(2);
    }

    @Test
    void aPostIsNotSentAgainUnlessTheRouteAsks() throws IOException {
        String post = "POST /orders HTTP/1.1\r\nHost: app.test\r\nContent-Length: 2\r\n\r\n{}";
        configure("retryOn=503");
        failingThenOk(1);
        assertThat(send(post).status()).isEqualTo(503);
        assertThat(attempts()).isEqualTo(1);

        backend.resetAll();
        configure("retryOn=503&retryNonIdempotent=true");
        failingThenOk(1);
        assertThat(send(post).status()).isEqualTo(200);
        assertThat(attempts()).isEqualTo(2);
    }

    @Test
    void aResetIsRetriedByDefaultAndNotWhenRetryOnLeavesItOut() throws IOException {
        backend.stubFor(any(urlPathMatching("/.*")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        configure("");
        assertThat(get().status()).isEqualTo(502);
        assertThat(attempts()).as("today's default: three attempts").isEqualTo(3);

        backend.resetRequests();
        configure("retryOn=connect,timeout");
        assertThat(get().status()).isEqualTo(502);
        assertThat(attempts()).isEqualTo(1);
    }

    @Test
    void theBackoffPausesBeforeARetry() throws IOException {
        configure("retryOn=503&retryBackoff=300ms");
        failingThenOk(1);
        long start = System.nanoTime();

        assertThat(get().status()).isEqualTo(200);

        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300L);
        assertThat(attempts()).isEqualTo(2);
    }

    @Test
    void theBudgetKeepsRetriesUnderItsShareOfRequests() throws IOException {
        backend.stubFor(any(urlPathMatching("/.*")).willReturn(aResponse().withStatus(503)));
        configure("retryOn=503&retryAttempts=2&retryBudget=20%");

        for (int i = 0; i < 20; i++) {
            assertThat(get().status()).isEqualTo(503);
        }

        // 20 requests earn 4 retries at 20 %: without the budget each would have been tried twice (40 attempts).
        assertThat(attempts()).isBetween(20, 24);
        assertThat(attempts()).as("some retries were allowed").isGreaterThan(20);
    }
}
