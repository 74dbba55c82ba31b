package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslProvider;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.proxy.tls.TlsPolicy;
import io.swarmgate.testing.ConnectionCounter;
import io.swarmgate.testing.Http2FrameClient;
import io.swarmgate.testing.Http2TestClient;
import io.swarmgate.testing.RawHttp2Connection;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HTTP/2 on TLS listeners, chosen by ALPN, proxied to HTTP/1.1 backends with everything HTTP/1.1 clients get. */
class Http2Test {
    private final TestBackend backend = TestBackend.start("b");
    private final HttpClient client = Http2TestClient.create();
    private ProxyServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop();
        }
        backend.close();
    }

    private void start(CertificateStore certificates) {
        start(ProxyServer.builder(), certificates);
    }

    private void start(ProxyServer.Builder builder, CertificateStore certificates) {
        proxy = builder.https(0).bindAddress("127.0.0.1").certificates(certificates)
                .routes(RouteTable.of(List.of("/b", "/chunked", "/upload", "/download", "/delay").stream()
                        .map(path -> Route.builder("b" + path).path(path).backend("127.0.0.1", backend.port()).build())
                        .toList()))
                .build().start();
    }

    private static CertificateStore store(SslProvider provider, TlsPolicy policy) throws Exception {
        return CertificateStore.of(List.of(ServerCertificate.parse("site", TestCertificates.pem("localhost"))),
                provider, List.of(), policy);
    }

    private URI uri(String path) {
        return URI.create("https://localhost:" + proxy.httpsPorts().get(0) + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void concurrentStreamsOnOneConnectionReachTheBackendAsHttp11Requests(SslProvider provider) throws Exception {
        start(store(provider, TlsPolicy.DEFAULT));
        // One request first: until it knows the server speaks HTTP/2, the client opens a connection per request.
        assertThat(get("/b/first").version()).isEqualTo(HttpClient.Version.HTTP_2);

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add(client.sendAsync(HttpRequest.newBuilder(uri("/b/echo?n=" + i))
                            .header("Cookie", "a=1").header("X-Test", "v" + i).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < answers.size(); i++) {
            HttpResponse<String> answer = answers.get(i).get(10, TimeUnit.SECONDS);
            assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("x-backend")).hasValue("b");
            assertThat(answer.body()).startsWith("GET /b/echo?n=" + i + " HTTP/1.1\n")
                    .contains("host: localhost:" + proxy.httpsPorts().get(0) + "\n")
                    .contains("x-test: v" + i + "\n")
                    .contains("x-forwarded-proto: https\n")
                    .contains("x-forwarded-for: 127.0.0.1\n");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void carriesEightMebibytesEachWayThroughFlowControl(SslProvider provider) throws Exception {
        start(store(provider, TlsPolicy.DEFAULT));
        int size = 8 * 1024 * 1024;

        HttpResponse<String> upload = client.send(HttpRequest.newBuilder(uri("/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[size])).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<byte[]> download = client.send(HttpRequest.newBuilder(uri("/download/" + size)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(upload.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(upload.body()).isEqualTo("received " + size);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).hasSize(size);
    }

    @Test
    void aStreamWithoutARouteGets503WhileTheOthersOnTheConnectionSucceed() throws Exception {
        start(store(SslProvider.OPENSSL, TlsPolicy.DEFAULT));

        CompletableFuture<HttpResponse<String>> slow = client.sendAsync(HttpRequest.newBuilder(uri("/delay/300"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unrouted = get("/nowhere");
        HttpResponse<String> routed = get("/b/after");

        assertThat(unrouted.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(unrouted.statusCode()).isEqualTo(503);
        assertThat(unrouted.body()).contains("No service is configured for this request.");
        assertThat(routed.statusCode()).isEqualTo(200);
        assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aChunkedAnswerAndAHeadRequestEndTheirStreams() throws Exception {
        start(store(SslProvider.OPENSSL, TlsPolicy.DEFAULT));

        HttpResponse<String> chunked = get("/chunked");
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(uri("/download/1000"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(chunked.body()).isEqualTo("hello world");
        assertThat(chunked.headers().firstValue("transfer-encoding")).isEmpty();
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("content-length")).hasValue("1000");
        assertThat(head.body()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void withoutHttp2TheClientGetsHttp11(SslProvider provider) throws Exception {
        start(store(provider, TlsPolicy.DEFAULT.withHttp2(false)));

        HttpResponse<String> answer = get("/b/one");

        assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(answer.statusCode()).isEqualTo(200);
    }

    @Test
    void aCertificateReplacedUnderLoadCostsNoStream() throws Exception {
        start(store(SslProvider.OPENSSL, TlsPolicy.DEFAULT));
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        List<Thread> loaders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread loader = new Thread(() -> {
                HttpClient own = null;
                for (int i = 0; i < 100; i++) {
                    if (i % 10 == 0) {
                        own = Http2TestClient.create(); // a new connection: handshakes go on during the rotations
                    }
                    try {
                        HttpResponse<String> answer = own.send(HttpRequest.newBuilder(uri("/b/load"))
                                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                        (answer.statusCode() == 200 && answer.version() == HttpClient.Version.HTTP_2
                                ? served : failures).incrementAndGet();
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            });
            loader.start();
            loaders.add(loader);
        }
        for (int rotation = 1; rotation <= 10; rotation++) {
            int target = rotation * 30;
            await().atMost(Duration.ofSeconds(30)).until(() -> served.get() + failures.get() >= target);
            proxy.certificates(proxy.certificates().with(ServerCertificate.parse("site",
                    TestCertificates.pem("localhost"))));
        }
        for (Thread loader : loaders) {
            loader.join(60_000);
        }

        assertThat(failures.get()).isZero();
        assertThat(served.get()).isEqualTo(400);
    }

    @Test
    void aStreamTheClientResetsMidExchangeDropsItsBackendConnectionAndTheNextStreamIsServed() throws Exception {
        start(store(SslProvider.OPENSSL, TlsPolicy.DEFAULT));
        try (Http2FrameClient frames = new Http2FrameClient(proxy.httpsPorts().get(0))) {
            assertThat(frames.exchange(request("/b/first"), null).headers().get(0).status())
                    .hasToString("200");
            Http2StreamChannel cancelled = frames.send(request("/delay/300"));
            await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests() >= 2);
            cancelled.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL)).sync();

            // The backend connection was mid-answer: it is closed, not pooled, so the next request opens another.
            Http2FrameClient.Answer next = frames.exchange(request("/b/next"), null);
            assertThat(next.headers().get(0).status()).hasToString("200");
            assertThat(next.body()).startsWith("GET /b/next HTTP/1.1\n");
            assertThat(backend.connectionsOpened()).isEqualTo(2);
        }
    }

    @Test
    void aConnectionBusyWithOneStreamAfterAnotherOutlivesTheIdleTimeout() throws Exception {
        start(ProxyServer.builder().timeouts(Timeouts.DEFAULTS.withHttpKeepAlive(Duration.ofMillis(500))),
                store(SslProvider.OPENSSL, TlsPolicy.DEFAULT));
        try (RawHttp2Connection h2 = RawHttp2Connection.tls(proxy.httpsPorts().get(0)).handshake()) {
            long started = System.nanoTime();
            for (int stream = 1; System.nanoTime() - started < Duration.ofMillis(1500).toNanos(); stream += 2) {
                h2.headers(stream, request("/b/busy"), true);
                assertThat(h2.answer(stream, Duration.ofSeconds(5)).status()).isEqualTo("200");
            }
            // Once it has no stream and stays silent, it is closed.
            assertThat(h2.awaitGoAway(Duration.ofSeconds(5))).isEqualTo(Http2Error.NO_ERROR.code());
        }
    }

    @Test
    void aConnectionCountsOnceAgainstMaxConnectionsHoweverManyStreamsItOpens() throws Exception {
        ConnectionCounter connections = new ConnectionCounter();
        start(ProxyServer.builder().maxConnections(2).observer(connections), store(SslProvider.OPENSSL,
                TlsPolicy.DEFAULT));
        // Frame clients, not the JDK's: its pool decides on its own how many connections 20 streams take. Each
        // connection opens once the one before it has been served: the proxy counts a connection when its handshake
        // has chosen HTTP/2, so two opened together may be counted in either order.
        try (Http2FrameClient first = new Http2FrameClient(proxy.httpsPorts().get(0))) {
            List<Http2FrameClient.Call> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Http2FrameClient.Call call = first.open(request("/delay/100"));
                call.send("", true);
                calls.add(call);
            }
            for (Http2FrameClient.Call call : calls) {
                assertThat(((Http2Headers) call.next()).status()).hasToString("200");
            }
            try (Http2FrameClient second = new Http2FrameClient(proxy.httpsPorts().get(0))) {
                assertThat(second.exchange(request("/b/second"), null).headers().get(0).status())
                        .hasToString("200");
                try (Http2FrameClient third = new Http2FrameClient(proxy.httpsPorts().get(0))) {
                    Http2FrameClient.Answer refused = third.exchange(request("/b/third"), null);
                    assertThat(refused.headers().get(0).status()).hasToString("503");
                    assertThat(refused.body()).contains("too many connections");
                }
            }
        }
        assertThat(connections.opened()).isEqualTo(3);
    }

    private static Http2Headers request(String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("https").authority("localhost").path(path);
    }

    @Test
    void aStreamInFlightWhenTheServerStopsIsAnswered() throws Exception {
        start(store(SslProvider.OPENSSL, TlsPolicy.DEFAULT));
        assertThat(get("/b/first").statusCode()).isEqualTo(200); // the connection is open and HTTP/2

        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(HttpRequest.newBuilder(
                uri("/delay/500")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.requests() >= 2);
        long started = System.nanoTime();
        proxy.stop();

        HttpResponse<String> answer = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aClientThatNeverStartsItsHandshakeIsClosedAfterTheRequestTimeout() throws Exception {
        proxy = ProxyServer.builder().https(0).bindAddress("127.0.0.1")
                .timeouts(Timeouts.DEFAULTS.withHttpRequest(Duration.ofSeconds(1)))
                .certificates(store(SslProvider.OPENSSL, TlsPolicy.DEFAULT)).build().start();

        try (java.net.Socket silent = new java.net.Socket("127.0.0.1", proxy.httpsPorts().get(0))) {
            silent.setSoTimeout(5000);
            long started = System.nanoTime();
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    /** Runs curl with these arguments and returns what it printed; fails if curl is missing or takes too long. */
    private static String curl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-k", "--max-time", "10"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void curlNegotiatesHttp2OverTls() throws Exception {
        start(store(SslProvider.OPENSSL, TlsPolicy.DEFAULT));

        String answer = curl("--http2", "-i", uri("/b/curl").toString());

        assertThat(answer).startsWith("HTTP/2 200").contains("GET /b/curl HTTP/1.1\n");
    }

    @Test
    void h2cWithPriorKnowledgeOnAPlainListenerNextToHttp11() throws Exception {
        proxy = ProxyServer.builder().http(0).h2c(true).bindAddress("127.0.0.1")
                .routes(RouteTable.of(List.of(Route.builder("b").path("/b").backend("127.0.0.1", backend.port())
                        .build())))
                .build().start();
        String base = "http://127.0.0.1:" + proxy.port();

        String h2 = curl("--http2-prior-knowledge", "-i", base + "/b/h2c");
        String h1 = curl("--http1.1", "-i", base + "/b/h1");

        assertThat(h2).startsWith("HTTP/2 200").contains("x-forwarded-proto: http\n");
        assertThat(h1).startsWith("HTTP/1.1 200").contains("GET /b/h1 HTTP/1.1");
    }

    @Test
    void withoutH2cThePrefaceIsABadHttp11Request() throws Exception {
        proxy = ProxyServer.builder().http(0).bindAddress("127.0.0.1").build().start();

        String answer = curl("--http2-prior-knowledge", "-i", "http://127.0.0.1:" + proxy.port() + "/b/h2c");

        assertThat(answer).doesNotStartWith("HTTP/2");
    }
}
