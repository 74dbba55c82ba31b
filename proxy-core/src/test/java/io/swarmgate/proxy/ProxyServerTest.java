package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import io.swarmgate.testing.TestBackend;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProxyServerTest {
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().backend("demo").backend("other")
            .settings(builder -> builder
                    .timeouts(Timeouts.DEFAULTS.withServer(Duration.ofMillis(800)).withConnect(Duration.ofSeconds(2))
                            .withHttpRequest(Duration.ofMillis(500))))
            .routes(p -> List.of(
                    Route.builder("demo").path("/demo").backend("127.0.0.1", p.backend("demo").port()).build(),
                    Route.builder("other").domain("other.example.com").backend("localhost", p.backend("other").port())
                            .build()))
            .build();
    private TestBackend demo;
    private TestBackend other;

    @BeforeEach
    void start() {
        demo = proxy.backend("demo");
        other = proxy.backend("other");
    }

    private Response get(String host, String path) throws IOException {
        return RawHttpConnection.get(proxy.port(), host, path);
    }

    @Test
    void routesByPathPrefixToTheBackend() throws IOException {
        Response response = get("anything.test", "/demo/hello?x=1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-Backend")).isEqualTo("demo");
        assertThat(response.bodyText()).startsWith("GET /demo/hello?x=1 HTTP/1.1\n");
    }

    @Test
    void prefixIsRawAsDockerFlowProxysPathBeg() throws IOException {
        assertThat(get("a.test", "/demox").header("X-Backend")).isEqualTo("demo");
    }

    @Test
    void routesByHostNameIgnoringCaseAndPort() throws IOException {
        Response response = get("Other.Example.COM:8080", "/anything");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("X-Backend")).isEqualTo("other");
    }

    @Test
    void unmatchedRequestGets503WithShortBody() throws IOException {
        Response response = get("a.test", "/nothing-here");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.bodyText()).isEqualTo("503 Service Unavailable\nNo service is configured for this request.\n");
        assertThat(response.header("Content-Type")).startsWith("text/plain");
    }

    @Test
    void addsForwardedHeadersAndPassesHostThrough() throws IOException {
        String echoed = get("Front.test:1234", "/demo").bodyText();

        assertThat(echoed).contains("host: Front.test:1234\n")
                .contains("x-forwarded-for: 127.0.0.1\n")
                .contains("x-forwarded-proto: http\n")
                .contains("x-forwarded-host: Front.test:1234\n")
                .contains("x-forwarded-port: " + proxy.port() + "\n");
    }

    @Test
    void appendsToAnExistingForwardedFor() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            String echoed = connection.exchange(
                    "GET /demo HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.1.2.3\r\n\r\n").bodyText();
            assertThat(echoed).contains("x-forwarded-for: 10.1.2.3, 127.0.0.1\n");
        }
    }

    @Test
    void removesHopByHopHeaders() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            String echoed = connection.exchange("GET /demo HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Secret\r\n"
                    + "X-Secret: s\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nX-Kept: k\r\n\r\n")
                    .bodyText();
            assertThat(echoed).contains("x-kept: k").doesNotContain("x-secret").doesNotContain("keep-alive")
                    .doesNotContain("proxy-connection").doesNotContain("connection:");
        }
    }

    @Test
    void reusesBackendConnectionsAcrossRequestsAndClients() throws IOException {
        for (int i = 0; i < 5; i++) {
            try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
                for (int j = 0; j < 4; j++) {
                    assertThat(connection.exchange("GET /demo HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
                }
            }
        }
        assertThat(demo.requests()).isEqualTo(20);
        assertThat(demo.connectionsOpened()).isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void retriesOnANewConnectionWhenTheBackendClosedAnIdleOne() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            assertThat(connection.exchange("GET /demo HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
            demo.closeConnections();
            assertThat(connection.exchange("GET /demo/again HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void publishedTableTakesEffectForTheNextRequest() throws IOException {
        assertThat(get("a", "/new").status()).isEqualTo(503);

        proxy.routes(RouteTable.of(List.of(Route.builder("new").path("/new").backend("127.0.0.1", other.port()).build())));

        assertThat(get("a", "/new").header("X-Backend")).isEqualTo("other");
        assertThat(get("a", "/demo").status()).isEqualTo(503);
    }

    @Test
    void refusedBackendGets503() throws IOException {
        proxy.routes(RouteTable.of(List.of(Route.builder("gone").path("/").backend("127.0.0.1", freePort()).build())));

        Response response = get("a", "/x");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.bodyText()).contains("No server is available");
    }

    @Test
    void backendThatDoesNotAcceptGets503AfterTheConnectTimeout() throws IOException {
        // A listener whose accept queue is full: the kernel drops further connection attempts, as with a dead host.
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             java.net.Socket first = new java.net.Socket("127.0.0.1", full.getLocalPort());
             java.net.Socket second = new java.net.Socket("127.0.0.1", full.getLocalPort());
             ProxyServer quickConnect = ProxyServer.builder().http(0).bindAddress("127.0.0.1")
                     .timeouts(Timeouts.DEFAULTS.withConnect(Duration.ofMillis(300)))
                     .routes(RouteTable.of(List.of(Route.builder("full").path("/")
                             .backend("127.0.0.1", full.getLocalPort()).build())))
                     .build().start()) {
            long start = System.nanoTime();
            Response response = RawHttpConnection.get(quickConnect.port(), "a", "/x");

            assertThat(response.status()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
        }
    }

    @Test
    void unresolvableBackendGets503() throws IOException {
        proxy.routes(RouteTable.of(List.of(
                Route.builder("ghost").path("/").backend("no-such-service.invalid", 8080).build())));

        assertThat(get("a", "/x").status()).isEqualTo(503);
    }

    @Test
    void backendThatAnswersGarbageGets502() throws IOException {
        proxy.routes(RouteTable.of(List.of(Route.builder("g").path("/garbage").backend("127.0.0.1", demo.port()).build())));

        Response response = get("a", "/garbage");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.bodyText()).startsWith("502 Bad Gateway\n");
    }

    @Test
    void bodyEndingWithTheBackendConnectionIsRechunkedSoTheClientKeepsItsConnection() throws IOException {
        proxy.routes(RouteTable.of(List.of(Route.builder("l").path("/").backend("127.0.0.1", demo.port()).build())));
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            Response legacy = connection.exchange("GET /legacy HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(legacy.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(legacy.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(legacy.bodyText()).isEqualTo("old-style body");
            assertThat(connection.exchange("GET /next HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void chunkedAnswerAndItsTrailersPassThrough() throws IOException {
        proxy.routes(RouteTable.of(List.of(Route.builder("c").path("/").backend("127.0.0.1", demo.port()).build())));
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            Response response = connection.exchange("GET /chunked HTTP/1.1\r\nHost: a\r\n\r\n");

            assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(response.bodyText()).isEqualTo("hello world");
            assertThat(connection.lastTrailers()).containsExactly("X-Checksum: 42");
            assertThat(connection.exchange("GET /next HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void headAnswersCarryNoBodyAndKeepTheConnection() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            connection.send("HEAD /demo/x HTTP/1.1\r\nHost: a\r\n\r\n");
            Response head = connection.readHeadResponse();
            assertThat(head.status()).isEqualTo(200);
            assertThat(Integer.parseInt(head.header("Content-Length"))).isPositive();

            Response next = connection.exchange("GET /demo/after-head HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(next.bodyText()).startsWith("GET /demo/after-head ");
        }
    }

    @Test
    void backendThatClosesWithoutAnsweringGets502() throws IOException {
        proxy.routes(RouteTable.of(List.of(Route.builder("c").path("/close").backend("127.0.0.1", demo.port()).build())));

        assertThat(get("a", "/close").status()).isEqualTo(502);
    }

    @Test
    void slowBackendGets504AfterTheServerTimeout() throws IOException {
        proxy.routes(RouteTable.of(List.of(Route.builder("s").path("/slow").backend("127.0.0.1", demo.port()).build())));

        long start = System.nanoTime();
        Response response = get("a", "/slow");

        assertThat(response.status()).isEqualTo(504);
        assertThat(response.bodyText()).isEqualTo("504 Gateway Timeout\nThe server didn't respond in time.\n");
        // Once: sending it again to the same backend would multiply the wait the timeout (800 ms) is meant to bound.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void keepsTheClientConnectionAfterAnErrorAnswer() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            assertThat(connection.exchange("GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(503);
            assertThat(connection.exchange("GET /demo HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void malformedRequestGets400AndTheConnectionCloses() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            Response response = connection.exchange("GET /demo HTTP/1.1\r\nHost: a\r\nBad Header Without Colon\r\n\r\n");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
        }
        assertThat(demo.requests()).isZero();
    }

    @Test
    void invalidContentLengthGets400() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            Response response = connection.exchange("POST /demo HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n");
            assertThat(response.status()).isEqualTo(400);
        }
        assertThat(demo.requests()).isZero();
    }

    @Test
    void missingHostGets400() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            assertThat(connection.exchange("GET /demo HTTP/1.1\r\n\r\n").status()).isEqualTo(400);
        }
    }

    @Test
    void duplicateHostGets400() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            assertThat(connection.exchange("GET /demo HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status()).isEqualTo(400);
        }
    }

    @Test
    void tooLongRequestLineGets414() throws IOException {
        assertThat(get("a", "/demo/" + "x".repeat(9000)).status()).isEqualTo(414);
    }

    @Test
    void tooLargeHeadersGet431() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            String big = "X-Big: " + "y".repeat(20_000) + "\r\n";
            assertThat(connection.exchange("GET /demo HTTP/1.1\r\nHost: a\r\n" + big + "\r\n").status())
                    .isEqualTo(431);
        }
    }

    @Test
    void incompleteRequestHeadGets408AfterTheRequestTimeout() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            connection.send("GET /demo HTTP/1.1\r\nHost: a\r\n");
            Response response = connection.readResponse();
            assertThat(response.status()).isEqualTo(408);
        }
    }

    @Test
    void idleKeepAliveConnectionIsClosedSilentlyAfterTheKeepAliveTimeout() throws IOException {
        try (ProxyServer shortKeepAlive = ProxyServer.builder().http(0).bindAddress("127.0.0.1")
                .timeouts(Timeouts.DEFAULTS.withHttpKeepAlive(Duration.ofMillis(300)))
                .build().start();
             RawHttpConnection connection = RawHttpConnection.open(shortKeepAlive.port())) {
            assertThat(connection.exchange("GET /no-route HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(503);

            assertThat(connection.isClosedByPeer()).as("closed without a 408").isTrue();
        }
    }

    @Test
    void bodyThatStopsArrivingGets408AfterTheClientTimeout() throws IOException {
        try (ProxyServer shortClientTimeout = ProxyServer.builder().http(0).bindAddress("127.0.0.1")
                .timeouts(Timeouts.DEFAULTS.withClient(Duration.ofMillis(300)))
                .routes(RouteTable.of(List.of(Route.builder("u").path("/upload").backend("127.0.0.1", demo.port())
                        .build())))
                .build().start();
             RawHttpConnection connection = RawHttpConnection.open(shortClientTimeout.port())) {
            connection.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");

            Response response = connection.readResponse();

            assertThat(response.status()).isEqualTo(408);
            assertThat(connection.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void absoluteFormTargetIsRoutedByItsPath() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            Response response = connection.exchange("GET http://a.test/demo/abs?q=1 HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).startsWith("GET /demo/abs?q=1 HTTP/1.1");
        }
    }

    @Test
    void http10ClientGetsAClosedConnectionAfterTheAnswer() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            Response response = connection.exchange("GET /demo HTTP/1.0\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.statusLine()).startsWith("HTTP/1.0 200");
            assertThat(connection.isClosedByPeer()).isTrue();
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            connection.send("GET /demo/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /nothing HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /demo/3 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(connection.readResponse().bodyText()).startsWith("GET /demo/1 ");
            assertThat(connection.readResponse().status()).isEqualTo(503);
            assertThat(connection.readResponse().bodyText()).startsWith("GET /demo/3 ");
        }
    }

    @Test
    void requestsInProgressAtOnceHaveAnExchangeEach() throws IOException {
        // Each request borrows its event loop's exchange and gives it back once, whether it ended, its connection
        // closed after it, or closed in mid-request. An exchange given back twice would be lent to two of these.
        for (int i = 0; i < 8; i++) {
            try (RawHttpConnection served = RawHttpConnection.open(proxy.port())) {
                assertThat(served.exchange("GET /demo/served HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
                assertThat(served.exchange("GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(503);
            }
            try (RawHttpConnection cut = RawHttpConnection.open(proxy.port())) {
                cut.send("POST /demo/cut HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
            }
        }
        List<RawHttpConnection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                connections.add(RawHttpConnection.open(proxy.port()));
                connections.get(i).send("POST /demo/" + i + " HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
            }
            for (RawHttpConnection connection : connections) {
                connection.send("hello");
            }
            for (int i = 0; i < 16; i++) {
                connections.get(i).setReadTimeout(5_000);
                assertThat(connections.get(i).readResponse().bodyText()).startsWith("POST /demo/" + i + " ");
            }
        } finally {
            for (RawHttpConnection connection : connections) {
                connection.close();
            }
        }
    }

    @Test
    void postBodyReachesTheBackend() throws IOException {
        proxy.routes(RouteTable.of(List.of(Route.builder("u").path("/upload").backend("127.0.0.1", demo.port()).build())));
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            Response fixed = connection.exchange("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world");
            assertThat(fixed.bodyText()).isEqualTo("received 11");
            Response chunked = connection.exchange("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
            assertThat(chunked.bodyText()).isEqualTo("received 11");
        }
    }

    @Test
    void expectContinueIsRelayed() throws IOException {
        proxy.routes(RouteTable.of(List.of(Route.builder("u").path("/upload").backend("127.0.0.1", demo.port()).build())));
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            connection.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(connection.readResponse().status()).isEqualTo(100);
            connection.send("hello");
            assertThat(connection.readResponse().bodyText()).isEqualTo("received 5");
        }
    }

    @Test
    void stopLetsTheRequestInFlightFinish() throws Exception {
        proxy.routes(RouteTable.of(List.of(Route.builder("d").path("/download").backend("127.0.0.1", demo.port()).build())));
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            connection.send("GET /download/" + (8 * 1024 * 1024) + " HTTP/1.1\r\nHost: a\r\n\r\n");
            await().until(() -> demo.requests() == 1);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(proxy.server()::stop);
            Response response = connection.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).hasSize(8 * 1024 * 1024);
            assertThat(connection.isClosedByPeer()).isTrue();
            stopping.get();
        }
        await().untilAsserted(() -> assertThat(canConnect(proxy.port())).isFalse());
    }

    @Test
    void stopClosesIdleConnectionsAtOnce() throws Exception {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            assertThat(connection.exchange("GET /demo HTTP/1.1\r\nHost: a\r\n\r\n").status()).isEqualTo(200);
            long start = System.nanoTime();
            proxy.server().stop();
            assertThat(connection.isClosedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void requestSentAsTheServerStopsIsAnsweredOrRefusedNeverLeftHanging() throws Exception {
        for (int i = 0; i < 10; i++) {
            ProxyServer stopping = ProxyServer.builder().http(0).bindAddress("127.0.0.1")
                    .routes(RouteTable.of(List.of(Route.builder("d").path("/").backend("127.0.0.1", demo.port()).build())))
                    .build().start();
            try (RawHttpConnection connection = RawHttpConnection.open(stopping.port())) {
                connection.setReadTimeout(5000);
                connection.send("GET /download/100000 HTTP/1.1\r\nHost: a\r\n\r\n");
                CompletableFuture<Void> stop = CompletableFuture.runAsync(stopping::stop);
                try {
                    Response response = connection.readResponse();
                    assertThat(response.status()).isEqualTo(200);
                    assertThat(response.body()).hasSize(100_000);
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("iteration " + i + ": no answer and no close", e);
                } catch (IOException refused) {
                    // reset or closed before the request was read: the client knows and may retry
                }
                stop.get();
            }
        }
    }

    private static boolean canConnect(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
