package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamResetException;
import io.netty.handler.codec.quic.QuicStreamType;
import io.swarmgate.proxy.internal.http2.Http2Connections;
import io.swarmgate.proxy.internal.http3.QuicServerCodec;
import io.netty.util.internal.PlatformDependent;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.testing.Http2TestClient;
import io.swarmgate.testing.Http3TestClient;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP/3 on the UDP side of a TLS port, through Netty's HTTP/3 client on loopback, to an HTTP/1.1 backend. */
class Http3Test {
    private final TestBackend backend = TestBackend.start("b");
    private final List<CompletedExchange> exchanges = new CopyOnWriteArrayList<>();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final AtomicInteger connectionsClosed = new AtomicInteger();
    private ProxyServer proxy;
    private Http3TestClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
        backend.close();
    }

    private void start() throws Exception {
        start(Timeouts.DEFAULTS);
    }

    private void start(Timeouts timeouts) throws Exception {
        start(ProxyServer.builder().timeouts(timeouts));
    }

    private void start(ProxyServer.Builder builder) throws Exception {
        List<Route> routes = new ArrayList<>(List.of("/b", "/upload", "/download", "/garbage", "/slow").stream()
                .map(path -> Route.builder("b" + path).path(path).backend("127.0.0.1", backend.port()).build())
                .toList());
        routes.add(Route.builder("dead").path("/dead").backend("127.0.0.1", closedPort()).build());
        proxy = builder.https(0).bindAddress("127.0.0.1").http3(true)
                .certificates(CertificateStore.of(List.of(ServerCertificate.parse("site",
                        TestCertificates.pem("localhost")))))
                .routes(RouteTable.of(routes))
                .observer(new ProxyObserver() {
                    @Override
                    public void connectionOpened() {
                        connectionsOpened.incrementAndGet();
                    }

                    @Override
                    public void connectionClosed() {
                        connectionsClosed.incrementAndGet();
                    }

                    @Override
                    public void exchangeCompleted(CompletedExchange exchange) {
                        exchanges.add(exchange);
                    }
                })
                .build().start();
        assertThat(proxy.http3Ports()).isEqualTo(proxy.httpsPorts());
        client = Http3TestClient.connect("localhost", proxy.http3Ports().get(0));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void getReachesTheBackendAsAnHttp11RequestAndIsLoggedAsHttp3() throws Exception {
        start();

        Http3TestClient.Response answer = client.get("/b/echo?x=1").get(10, TimeUnit.SECONDS);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("x-backend")).isEqualTo("b");
        assertThat(answer.bodyText()).startsWith("GET /b/echo?x=1 HTTP/1.1\n")
                .contains("host: localhost:" + proxy.http3Ports().get(0) + "\n")
                .contains("x-forwarded-proto: https\n")
                .contains("x-forwarded-for: 127.0.0.1\n")
                .doesNotContain("transfer-encoding");
        await().atMost(Duration.ofSeconds(5)).until(() -> !exchanges.isEmpty());
        CompletedExchange logged = exchanges.get(0);
        assertThat(logged.protocol()).isEqualTo("HTTP/3.0");
        assertThat(logged.status()).isEqualTo(200);
        assertThat(logged.target()).isEqualTo("/b/echo?x=1");
        assertThat(logged.route().serviceName()).isEqualTo("b/b");
        assertThat(logged.sentBytes()).isPositive();
    }

    @Test
    void anAuthorityThatIsNoHostGets400AndTheConnectionServesOn() throws Exception {
        start();

        Http3TestClient.Response refused = client.open(channel -> channel.writeAndFlush(new DefaultHttp3HeadersFrame(
                        new DefaultHttp3Headers().method("GET").scheme("https").authority("evil@[::1").path("/b/x")))
                .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT)).get(10, TimeUnit.SECONDS);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(client.get("/b/next").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(backend.sawHost("evil@[::1")).isFalse();
    }

    @Test
    void carriesEightMebibytesEachWayThroughQuicFlowControl() throws Exception {
        start();
        int size = 8 * 1024 * 1024;

        Http3TestClient.Response upload = client.post("/upload", new byte[size]).get(30, TimeUnit.SECONDS);
        Http3TestClient.Response download = client.get("/download/" + size).get(30, TimeUnit.SECONDS);

        assertThat(upload.status()).isEqualTo(200);
        assertThat(upload.bodyText()).isEqualTo("received " + size);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).hasSize(size);
    }

    @Test
    void aHundredConcurrentStreamsOnOneConnectionEachGetTheirOwnAnswer() throws Exception {
        start();
        List<CompletableFuture<Http3TestClient.Response>> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            answers.add(client.send("GET", "/b/echo?n=" + n, null, fields -> fields.add("x-test", "v" + n)));
        }
        for (int i = 0; i < answers.size(); i++) {
            Http3TestClient.Response answer = answers.get(i).get(30, TimeUnit.SECONDS);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).startsWith("GET /b/echo?n=" + i + " HTTP/1.1\n").contains("x-test: v" + i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> exchanges.size() == 100);
        assertThat(exchanges).allSatisfy(exchange -> assertThat(exchange.protocol()).isEqualTo("HTTP/3.0"));
        assertThat(connectionsOpened).hasValue(1); // the connection counts once, however many streams it opens
        assertThat(connectionsClosed).hasValue(0);
    }

    @Test
    void aConnectionOverMaxConnectionsGetsA503OnEachStream() throws Exception {
        start(ProxyServer.builder().maxConnections(1));
        assertThat(client.get("/b/first").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);

        try (Http3TestClient second = Http3TestClient.connect("localhost", proxy.http3Ports().get(0))) {
            Http3TestClient.Response refused = second.get("/b/second").get(10, TimeUnit.SECONDS);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.bodyText()).contains("too many connections");
        }
        assertThat(backend.requests()).isEqualTo(1);
    }

    @Test
    void backendFailuresGetTheStatusesHttp11Gets() throws Exception {
        start(Timeouts.DEFAULTS.withServer(Duration.ofSeconds(1)));

        assertThat(client.get("/garbage").get(10, TimeUnit.SECONDS).status()).isEqualTo(502);
        assertThat(client.get("/dead").get(10, TimeUnit.SECONDS).status()).isEqualTo(503);
        assertThat(client.get("/nowhere").get(10, TimeUnit.SECONDS).status()).isEqualTo(503);
        assertThat(client.get("/slow").get(10, TimeUnit.SECONDS).status()).isEqualTo(504);
        await().atMost(Duration.ofSeconds(5)).until(() -> exchanges.size() == 4);
        assertThat(exchanges).extracting(CompletedExchange::failure).containsExactly(FailureReason.BAD_RESPONSE,
                FailureReason.REFUSED, FailureReason.NO_ROUTE, FailureReason.BACKEND_TIMEOUT);
    }

    @Test
    void aCertificateReplacedAtRunTimeServesTheNextQuicHandshake() throws Exception {
        start();
        Certificate before = client.serverCertificate();
        proxy.certificates(proxy.certificates().with(ServerCertificate.parse("site",
                TestCertificates.pem("localhost"))));

        try (Http3TestClient next = Http3TestClient.connect("localhost", proxy.http3Ports().get(0))) {
            assertThat(next.serverCertificate()).isNotEqualTo(before);
            assertThat(next.get("/b/after").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(client.serverCertificate()).isEqualTo(before); // an open connection keeps its own
    }

    @Test
    void answersOverTlsAdvertiseHttp3OnTheirPort() throws Exception {
        start();
        int port = proxy.httpsPorts().get(0);
        HttpClient tcp = Http2TestClient.create();
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
            HttpResponse<String> answer = tcp.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                    + "/b/x")).version(version).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.version()).isEqualTo(version);
            assertThat(answer.headers().firstValue("alt-svc")).hasValue("h3=\":" + port + "\"; ma=86400");
        }
    }

    /** A client keeps the advertisement for its max-age: a multiplexed connection's later answers leave it out. */
    @Test
    void http2AndHttp3ConnectionsAdvertiseHttp3OnTheirFirstAnswerOnly() throws Exception {
        start();
        int port = proxy.httpsPorts().get(0);
        String advertised = "h3=\":" + port + "\"; ma=86400";
        HttpClient tcp = Http2TestClient.create(); // one HTTP/2 connection for its requests
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(tcp.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/b/" + i))
                    .version(HttpClient.Version.HTTP_2).build(), HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(answers).allSatisfy(answer -> assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2));
        assertThat(answers).extracting(answer -> answer.headers().firstValue("alt-svc").orElse(null))
                .containsExactly(advertised, null, null);

        List<String> overQuic = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            overQuic.add(client.get("/b/" + i).get(10, TimeUnit.SECONDS).header("alt-svc"));
        }
        assertThat(overQuic).containsExactly(advertised, null, null);
    }

    /**
     * A client that stops reading a large answer: its stream's window fills, the proxy's stream is no longer writable,
     * and the proxy stops reading the backend, so it holds a bounded part of the answer; reading again, the client
     * gets all of it.
     */
    @Test
    void aClientThatStopsReadingHoldsBoundedMemoryInTheProxy() throws Exception {
        start();
        int size = 64 * 1024 * 1024;
        long directBefore = PlatformDependent.usedDirectMemory();
        assertThat(directBefore).isNotNegative();
        AtomicReference<QuicStreamChannel> stream = new AtomicReference<>();
        CompletableFuture<Http3TestClient.Response> answer = client.open(channel -> {
            channel.config().setAutoRead(false);
            stream.set(channel);
            channel.writeAndFlush(new DefaultHttp3HeadersFrame(new DefaultHttp3Headers().method("GET")
                    .scheme("https").authority("localhost").path("/download/" + size)))
                    .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> backend.requests() == 1);

        // Netty's direct memory, the proxy's and the client's, over what the JVM held before (other tests' pools): a
        // quarter of the answer at the most.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20))
                .until(() -> PlatformDependent.usedDirectMemory() - directBefore < size / 4);


        stream.get().eventLoop().execute(() -> stream.get().config().setAutoRead(true));
        assertThat(answer.get(60, TimeUnit.SECONDS).body()).hasSize(size);
    }

    /**
     * Rapid Reset over QUIC: a client that opens streams and resets them before their request is complete, over and
     * over, never reaches a backend (a stream starts its exchange once its request is known to be complete or to have
     * a body), and another client is served meanwhile. Resets the proxy sees count against HTTP/2's reset budget;
     * quiche drops a stream reset before it was read without the proxy seeing it at all, so how many count is timing.
     */
    @Test
    void aResetFloodOfIncompleteRequestsNeverReachesABackend() throws Exception {
        start();
        flood(false);

        assertThat(backend.requests()).isZero();
        assertThat(backend.connectionsOpened()).isZero();
        assertServesOthers();
    }

    /**
     * Complete requests reset at once: each reaches its backend, and the proxy's count of its streams bounds the
     * exchanges they hold to the streams a connection may have open.
     */
    @Test
    void completeRequestsResetAtOnceHoldAtMostTheConcurrentStreamsOfBackendExchanges() throws Exception {
        start();
        flood(true);

        assertThat(backend.requests()).isPositive().isLessThanOrEqualTo(QuicServerCodec.MAX_CONCURRENT_STREAMS);
        assertServesOthers();
    }

    /**
     * Complete requests the client stops (STOP_SENDING) once each reached its backend. quiche gives such a stream's
     * credit back at once, and the proxy hears of the stop only when it answers, so the proxy's own count of its
     * streams bounds the exchanges they hold: once as many as a client may have streams open hold a backend, a new
     * stream is refused unread (H3_REQUEST_REJECTED), and other connections are served.
     */
    @Test
    void requestsStoppedOnceTheyReachedTheBackendHoldAtMostTheConcurrentStreamsOfBackendExchanges() throws Exception {
        start();
        int limit = QuicServerCodec.MAX_CONCURRENT_STREAMS;

        for (int i = 1; i <= limit + 8; i++) {
            awaitQuickly().until(() -> client.connection().peerAllowedStreams(QuicStreamType.BIDIRECTIONAL) > 0);
            CompletableFuture<QuicStreamChannel> sent = new CompletableFuture<>();
            CompletableFuture<Http3TestClient.Response> answer = client.open(channel -> channel.writeAndFlush(
                    new DefaultHttp3HeadersFrame(new DefaultHttp3Headers().method("GET").scheme("https")
                            .authority("localhost").path("/slow/held")))
                    .addListener(QuicStreamChannel.SHUTDOWN_OUTPUT).addListener(written -> sent.complete(channel)));
            QuicStreamChannel stream = sent.get(10, TimeUnit.SECONDS);
            int reached = i;
            if (i <= limit) {
                awaitQuickly().until(() -> backend.requests() == reached);
                stream.eventLoop().execute(() -> stream.shutdown(Http3ErrorCode.H3_REQUEST_CANCELLED.code()));
            } else {
                assertThat(answer).as("stream %d", i).failsWithin(Duration.ofSeconds(10))
                        .withThrowableOfType(ExecutionException.class)
                        .havingCause().isInstanceOfSatisfying(QuicStreamResetException.class, reset -> assertThat(
                                reset.applicationProtocolCode()).isEqualTo(Http3ErrorCode.H3_REQUEST_REJECTED.code()));
            }
        }

        assertThat(backend.requests()).isEqualTo(limit);
        assertThat(backend.openConnections()).isEqualTo(limit);
        assertThat(client.connection().isActive()).isTrue();
        assertServesOthers();
    }

    /**
     * The reset budget, deterministically. Each stream sends the head of a POST whose body never comes, and is reset
     * only once that head reached the backend, so the proxy has read it: quiche drops a reset that arrives before
     * the stream was read, and once a request's FIN was read the proxy hears of neither RESET_STREAM nor STOP_SENDING
     * until it writes. The next stream opens only once the proxy dropped that backend connection, so it has taken the
     * reset. The first {@value Http2Connections#MAX_RESETS_PER_WINDOW} leave the connection serving; the next closes
     * it with H3_EXCESSIVE_LOAD.
     */
    @Test
    void streamsResetAfterTheProxyReadThemSpendTheResetBudgetThenTheConnectionCloses() throws Exception {
        start();

        for (int i = 1; i <= Http2Connections.MAX_RESETS_PER_WINDOW + 1; i++) {
            assertThat(client.connection().isActive()).as("open after %d resets", i - 1).isTrue();
            int reached = i;
            QuicStreamChannel stream = openIncompletePost();
            awaitQuickly().until(() -> backend.requests() == reached);
            stream.eventLoop().execute(() -> stream.shutdown(Http3ErrorCode.H3_REQUEST_CANCELLED.code()));
            awaitQuickly().until(() -> backend.openConnections() == 0);
        }

        QuicConnectionCloseEvent close = client.closedByServer().get(10, TimeUnit.SECONDS);
        assertThat(close.isApplicationClose()).isTrue();
        assertThat(close.error()).isEqualTo(Http3ErrorCode.H3_EXCESSIVE_LOAD.code());
        assertThat(backend.requests()).isEqualTo(Http2Connections.MAX_RESETS_PER_WINDOW + 1);
        assertServesOthers();
    }

    /** The head of a POST whose one byte of body never comes, on a new stream. */
    private QuicStreamChannel openIncompletePost() throws Exception {
        CompletableFuture<QuicStreamChannel> opened = new CompletableFuture<>();
        client.open(channel -> channel.writeAndFlush(new DefaultHttp3HeadersFrame(new DefaultHttp3Headers()
                        .method("POST").scheme("https").authority("localhost").path("/slow/reset")
                        .addInt("content-length", 1)))
                .addListener(written -> opened.complete(channel)));
        return opened.get(10, TimeUnit.SECONDS);
    }

    private static ConditionFactory awaitQuickly() {
        return await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }

    /** Opens up to 1000 streams, one after another, each reset by the client after its head (and FIN). */
    private void flood(boolean complete) throws Exception {
        for (int i = 0; i < 1000 && client.connection().isActive(); i++) {
            CompletableFuture<Object> reset = new CompletableFuture<>();
            CompletableFuture<Http3TestClient.Response> answer = client.open(channel -> channel.writeAndFlush(
                    new DefaultHttp3HeadersFrame(new DefaultHttp3Headers().method("GET").scheme("https")
                            .authority("localhost").path("/slow/flood")))
                    .addListener(written -> (complete ? channel.shutdownOutput() : channel.newSucceededFuture())
                            .addListener(ended -> channel.shutdown(Http3ErrorCode.H3_REQUEST_CANCELLED.code())
                                    .addListener(done -> reset.complete(null)))));
            CompletableFuture.anyOf(reset, answer).exceptionally(e -> null).get(10, TimeUnit.SECONDS);
        }
    }

    private void assertServesOthers() throws Exception {
        try (Http3TestClient other = Http3TestClient.connect("localhost", proxy.http3Ports().get(0))) {
            assertThat(other.get("/b/other").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }
}
