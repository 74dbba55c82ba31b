package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.proxy.upstream.BackendProtocol;
import io.swarmgate.testing.GrpcLikeBackend;
import io.swarmgate.testing.Http2FrameClient;
import io.swarmgate.testing.Http2TestClient;
import io.swarmgate.testing.ProxyExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A service whose backend speaks h2c (backendProtocol=h2c), as gRPC servers do: an HTTP/2 client's call goes frame to
 * frame, trailers both ways, streamed both ways, and a reset or a dead backend ends the call on the other side.
 */
class GrpcBackendTest {
    private final GrpcLikeBackend backend = new GrpcLikeBackend();
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().settings(builder -> builder.https(0))
            .routes(p -> List.of(Route.builder("grpc").path("/echo.Echo/")
                    .backend(Backend.of("127.0.0.1", backend.port()).protocol(BackendProtocol.H2C)).build()))
            .build();
    private Http2FrameClient client;

    @BeforeEach
    void start() throws Exception {
        client = new Http2FrameClient(proxy.httpsPorts().get(0));
    }

    @AfterEach
    void stop() {
        client.close();
        backend.close();
    }

    private static Http2Headers call(String method) {
        return new DefaultHttp2Headers().method("POST").scheme("https").authority("localhost")
                .path("/echo.Echo/" + method).add("content-type", "application/grpc").add("te", "trailers");
    }

    @Test
    void aCallReachesTheH2cBackendAndItsTrailersTheClient() throws Exception {
        for (int i = 0; i < 3; i++) { // one pooled backend connection, a new stream each time
            Http2FrameClient.Answer answer = client.exchange(call("Say"), "hello " + i);

            assertThat(answer.headers()).hasSize(2);
            assertThat(answer.headers().get(0).status().toString()).isEqualTo("200");
            assertThat(answer.headers().get(0).get("content-type").toString()).isEqualTo("application/grpc");
            assertThat(answer.body()).isEqualTo("hello " + i);
            assertThat(answer.headers().get(1).get("grpc-status").toString()).isEqualTo("0");
            assertThat(answer.headers().get(1).get("grpc-message").toString()).isEqualTo("ok");
        }
        Http2Headers received = backend.requests().get(0);
        assertThat(received.method().toString()).isEqualTo("POST");
        assertThat(received.path().toString()).isEqualTo("/echo.Echo/Say");
        assertThat(received.authority().toString()).isEqualTo("localhost");
        assertThat(received.get("te").toString()).isEqualTo("trailers");
        assertThat(received.get("x-forwarded-proto").toString()).isEqualTo("https");
        assertThat(received.contains("transfer-encoding")).isFalse();
    }

    @Test
    void aHeadersOnlyAnswerEndsTheStreamWithItsStatus() throws Exception {
        Http2FrameClient.Answer answer = client.exchange(call("Missing"), "x");

        assertThat(answer.headers()).hasSize(1);
        assertThat(answer.headers().get(0).get("grpc-status").toString()).isEqualTo("12");
        assertThat(answer.body()).isEmpty();
    }

    @Test
    void requestTrailersReachTheBackendAsTheStreamsLastHeaders() throws Exception {
        Http2FrameClient.Answer answer = client.exchange(call("Say"), "with trailers",
                new DefaultHttp2Headers().add("x-checksum", "c0ffee"));

        assertThat(answer.body()).isEqualTo("with trailers");
        assertThat(answer.headers().get(1).get("grpc-status").toString()).isEqualTo("0");
        assertThat(backend.requests()).hasSize(2);
        assertThat(backend.requests().get(1).get("x-checksum").toString()).isEqualTo("c0ffee");
    }

    @Test
    void aCallStreamsBothWaysMessageByMessage() throws Exception {
        Http2FrameClient.Call streamed = client.open(call("Stream"));
        assertThat(((Http2Headers) streamed.next()).status().toString()).isEqualTo("200");

        // Each message reaches the backend before the client ends its side, and its echo the client before the call
        // ends: neither side waits for the other's end.
        for (String message : List.of("one", "two")) {
            streamed.send(message, false);
            assertThat(streamed.next()).isEqualTo("echo:" + message);
        }
        streamed.send("three", true);

        assertThat(streamed.next()).isEqualTo("echo:three");
        assertThat(((Http2Headers) streamed.next()).get("grpc-status").toString()).isEqualTo("0");
    }

    @Test
    void aClientsResetCancelsTheBackendsCallAndTheNextCallGoesThrough() throws Exception {
        Http2FrameClient.Call streamed = client.open(call("Stream"));
        streamed.next();
        streamed.send("one", false);
        assertThat(streamed.next()).isEqualTo("echo:one");

        streamed.reset();

        await().atMost(Duration.ofSeconds(10)).until(() -> backend.cancelled() == 1);
        assertThat(client.exchange(call("Say"), "after").body()).isEqualTo("after");
    }

    @Test
    void aBackendsResetResetsTheClientsStream() throws Exception {
        Http2FrameClient.Call streamed = client.open(call("Reset"));
        assertThat(((Http2Headers) streamed.next()).status().toString()).isEqualTo("200");

        streamed.send("one", false);

        assertThat(streamed.next()).isEqualTo(new Http2FrameClient.Call.Reset(Http2Error.CANCEL.code()));
        assertThat(client.exchange(call("Say"), "after").body()).isEqualTo("after");
    }

    @Test
    void aBackendDyingMidCallResetsTheClientsStreamAfterWhatItSent() throws Exception {
        Http2FrameClient.Call streamed = client.open(call("Die"));
        streamed.next();

        streamed.send("one", false);

        assertThat(streamed.next()).isEqualTo("echo:one");
        assertThat(streamed.next()).isEqualTo(new Http2FrameClient.Call.Reset(Http2Error.CANCEL.code()));
        assertThat(client.exchange(call("Say"), "after").body()).isEqualTo("after");
    }

    /**
     * The same on io_uring, which hands the proxy the echo and the GOAWAY behind it in one read, before the read's end
     * flushes the echo: the reset must not overtake it.
     */
    @Test
    void aBackendDyingMidCallResetsTheClientsStreamAfterWhatItSentWhenBothArriveTogether() throws Exception {
        try (ProxyServer uring = ProxyServer.builder().transport(SocketTransport.IO_URING).https(0)
                .bindAddress("127.0.0.1").routes(proxy.server().routes()).build().start();
             Http2FrameClient together = new Http2FrameClient(uring.httpsPorts().get(0))) {
            for (int i = 0; i < 5; i++) {
                Http2FrameClient.Call streamed = together.open(call("Die"));
                streamed.next();

                streamed.send("one", false);

                assertThat(streamed.next()).isEqualTo("echo:one");
                assertThat(streamed.next()).isEqualTo(new Http2FrameClient.Call.Reset(Http2Error.CANCEL.code()));
            }
        }
    }

    @Test
    void anHttp11ClientReachesTheH2cBackendToo() throws Exception {
        HttpResponse<String> answer = Http2TestClient.create().send(HttpRequest.newBuilder(URI.create(
                        "https://localhost:" + proxy.httpsPorts().get(0) + "/echo.Echo/Say"))
                .version(HttpClient.Version.HTTP_1_1).header("Content-Type", "application/grpc")
                .POST(HttpRequest.BodyPublishers.ofString("over http/1.1")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("over http/1.1");
    }
}
