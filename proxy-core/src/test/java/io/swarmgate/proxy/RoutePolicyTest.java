package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.proxy.policy.ExchangeObserver;
import io.swarmgate.proxy.policy.ExchangeOutcome;
import io.swarmgate.proxy.policy.HeaderEdits;
import io.swarmgate.proxy.policy.LocalResponse;
import io.swarmgate.proxy.policy.PolicyRequest;
import io.swarmgate.proxy.policy.PolicyResult;
import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.policy.RoutePolicy;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.testing.Http2TestClient;
import io.swarmgate.testing.RawHttpConnection.Response;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A policy of the user's own, given to a route, takes part in its exchanges as the built-in ones do: it answers a
 * request itself, changes one it lets through, decides later, and hears how each exchange ended, whoever answered it.
 */
class RoutePolicyTest {
    @Test
    void aPolicyAnswersChangesAndObservesTheRoutesExchanges() throws Exception {
        Queue<String> ends = new ConcurrentLinkedQueue<>();
        RoutePolicies policies = RoutePolicies.of(List.of(new TwoRequestsOnly(ends)), HeaderEdits.NONE);
        TestBackend gone = TestBackend.start("gone");
        int gonePort = gone.port();
        gone.close();
        try (TestBackend backend = TestBackend.start("app")) {
            Route app = Route.builder("app").path("/app").backend("127.0.0.1", backend.port())
                    .policies(policies).build();
            Route down = Route.builder("down").path("/down").backend("127.0.0.1", gonePort)
                    .policies(policies).build();
            try (ProxyServer proxy = ProxyServer.builder().http(0).bindAddress("127.0.0.1")
                    .routes(RouteTable.of(List.of(app, down))).build().start()) {
                Response first = RawHttpConnection.get(proxy.port(), "a", "/app/1");
                assertThat(first.status()).isEqualTo(200);
                assertThat(first.bodyText()).contains("x-request-number: 1");

                Response unreachable = RawHttpConnection.get(proxy.port(), "a", "/down");
                assertThat(unreachable.status()).isEqualTo(503);

                Response third = RawHttpConnection.get(proxy.port(), "a", "/app/3");
                assertThat(third.status()).isEqualTo(429);
                assertThat(third.header("Retry-After")).isEqualTo("1");
                assertThat(backend.requests()).isEqualTo(1);

                await().until(() -> ends.size() == 3);
                assertThat(ends).containsExactly("200 answered", "503 backend failed", "429 answered");
            }
        }
    }

    @Test
    void aPolicyThatDecidesLaterHoldsTheRequestBackUntilItsDecisionComes() throws Exception {
        ExecutorService authService = Executors.newSingleThreadExecutor();
        RoutePolicy askFirst = request -> {
            String token = request.header("X-Token");
            // Decided on another thread after a while, as an authentication service would answer.
            return PolicyResult.later(CompletableFuture.supplyAsync(() -> {
                if (token == null) {
                    throw new IllegalStateException("the authentication service failed");
                }
                return token.equals("good") ? PolicyResult.PROCEED : LocalResponse.of(401, "Log in first.");
            }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS, authService)));
        };
        RoutePolicy after = request -> {
            request.addHeader("X-Checked", "yes");
            return PolicyResult.PROCEED;
        };
        try (TestBackend backend = TestBackend.start("app")) {
            Route app = Route.builder("app").path("/").backend("127.0.0.1", backend.port())
                    .policies(RoutePolicies.of(List.of(askFirst, after), HeaderEdits.NONE)).build();
            try (ProxyServer proxy = ProxyServer.builder().http(0).bindAddress("127.0.0.1")
                    .routes(RouteTable.of(List.of(app))).build().start();
                 RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
                Response upload = connection.exchange("POST /upload HTTP/1.1\r\nHost: a\r\nX-Token: good\r\n"
                        + "Content-Length: 5\r\n\r\nhello");
                assertThat(upload.status()).isEqualTo(200);
                assertThat(upload.bodyText()).isEqualTo("received 5");

                Response checked = connection.exchange("GET /echo HTTP/1.1\r\nHost: a\r\nX-Token: good\r\n\r\n");
                assertThat(checked.bodyText()).contains("x-checked: yes");

                Response refused = connection.exchange("GET /echo HTTP/1.1\r\nHost: a\r\nX-Token: bad\r\n\r\n");
                assertThat(refused.status()).isEqualTo(401);

                Response failed = connection.exchange("GET /echo HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(failed.status()).isEqualTo(500);
                assertThat(backend.requests()).isEqualTo(2);
            }
        } finally {
            authService.shutdownNow();
        }
    }

    @Test
    void anHttp2RequestWaitsForADeferredDecisionWithItsHeadAndBodyKept() throws Exception {
        ExecutorService authService = Executors.newSingleThreadExecutor();
        RoutePolicy askFirst = request -> {
            String token = request.header("X-Token");
            return PolicyResult.later(CompletableFuture.supplyAsync(
                    () -> "good".equals(token) ? PolicyResult.PROCEED : LocalResponse.of(401, "Log in first."),
                    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS, authService)));
        };
        try (TestBackend backend = TestBackend.start("app")) {
            Route app = Route.builder("app").path("/").backend("127.0.0.1", backend.port())
                    .policies(RoutePolicies.of(List.of(askFirst), HeaderEdits.NONE)).build();
            try (ProxyServer proxy = ProxyServer.builder().https(0).bindAddress("127.0.0.1")
                    .certificates(CertificateStore.of(List.of(ServerCertificate.parse("site",
                            TestCertificates.pem("localhost")))))
                    .routes(RouteTable.of(List.of(app))).build().start()) {
                HttpClient client = Http2TestClient.create();
                URI base = URI.create("https://localhost:" + proxy.httpsPorts().get(0));
                HttpResponse<String> upload = client.send(HttpRequest.newBuilder(base.resolve("/upload"))
                        .header("X-Token", "good").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(upload.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(upload.statusCode()).isEqualTo(200);
                assertThat(upload.body()).isEqualTo("received 5");

                HttpResponse<String> echo = client.send(HttpRequest.newBuilder(base.resolve("/echo"))
                        .header("X-Token", "good").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(echo.body()).contains("GET /echo").contains("x-token: good");

                HttpResponse<String> refused = client.send(HttpRequest.newBuilder(base.resolve("/echo"))
                        .header("X-Token", "bad").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).isEqualTo(401);
                assertThat(backend.requests()).isEqualTo(2);
            }
        } finally {
            authService.shutdownNow();
        }
    }

    /** Lets two requests through, numbering them for the backend, and answers the rest with 429. */
    private static final class TwoRequestsOnly implements RoutePolicy, ExchangeObserver {
        private final AtomicInteger requests = new AtomicInteger();
        private final Queue<String> ends;

        TwoRequestsOnly(Queue<String> ends) {
            this.ends = ends;
        }

        @Override
        public PolicyResult onRequest(PolicyRequest request) {
            int number = requests.incrementAndGet();
            if (number > 2) {
                return LocalResponse.of(429, "Too many requests.").withHeader("Retry-After", "1");
            }
            request.addHeader("X-Request-Number", Integer.toString(number));
            return PolicyResult.PROCEED;
        }

        @Override
        public void exchangeEnded(ExchangeOutcome outcome) {
            ends.add(outcome.status() + (outcome.backendFailed() ? " backend failed" : " answered"));
        }
    }
}
