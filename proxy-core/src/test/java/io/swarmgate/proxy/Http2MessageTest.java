package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.policy.Compression;
import io.swarmgate.proxy.policy.HeaderEdits;
import io.swarmgate.proxy.policy.ResponseCompression;
import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.testing.Http2FrameClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP/2 stream to an HTTP/1.1 backend, as each side sees it: the request reaches the backend as HTTP/1.1 written
 * straight from the stream's fields (cookie crumbs joined, a body without length chunked, its trailers in the chunked
 * trailer section), and the backend's response reaches the client as frames with the route's edits, compressed when
 * asked, its trailer fields as the last HEADERS.
 */
class Http2MessageTest {
    private final ServerSocket backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private ProxyServer proxy;

    Http2MessageTest() throws IOException {
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.stop();
        }
        backend.close();
    }

    private Http2FrameClient start(Route.Builder route) throws Exception {
        proxy = ProxyServer.builder().https(0).bindAddress("127.0.0.1")
                .routes(RouteTable.of(List.of(route.path("/").backend("127.0.0.1", backend.getLocalPort()).build())))
                .build().start();
        return new Http2FrameClient(proxy.httpsPorts().get(0));
    }

    /** Answers one request with {@code response}; completes with the request's bytes as the backend received them. */
    private CompletableFuture<String> answerOnce(String response) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = backend.accept()) {
                socket.setSoTimeout(10_000);
                String request = readRequest(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return request;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The head and a body of Content-Length or chunked up to its last chunk and trailer section. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        while (!received.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
            received.write(in.read());
        }
        String head = received.toString(StandardCharsets.ISO_8859_1).toLowerCase();
        if (head.contains("transfer-encoding: chunked")) {
            while (!received.toString(StandardCharsets.ISO_8859_1).matches("(?s).*\r\n0\r\n(.*\r\n)?\r\n")) {
                received.write(in.read());
            }
        } else if (head.contains("content-length: ")) {
            int start = head.indexOf("content-length: ") + 16;
            int length = Integer.parseInt(head.substring(start, head.indexOf('\r', start)));
            received.write(in.readNBytes(length));
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private static Http2Headers post(String path) {
        return new DefaultHttp2Headers().method("POST").scheme("https").authority("app.test").path(path);
    }

    @Test
    void aBodyWithoutLengthReachesTheBackendChunkedWithItsTrailersAndTheBackendsTrailersEndTheStream()
            throws Exception {
        try (Http2FrameClient client = start(Route.builder("app"))) {
            CompletableFuture<String> received = answerOnce("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                    + "Trailer: grpc-status\r\n\r\n5\r\nworld\r\n0\r\ngrpc-status: 0\r\n\r\n");

            Http2FrameClient.Answer answer = client.exchange(post("/call").add("cookie", "a=1").add("cookie", "b=2")
                    .add("x-forwarded-for", "192.0.2.7"), "hello", new DefaultHttp2Headers().add("x-sum", "42"));

            String request = received.get(10, TimeUnit.SECONDS);
            assertThat(request).startsWith("POST /call HTTP/1.1\r\nhost: app.test\r\n")
                    .contains("\r\ncookie: a=1; b=2\r\n", "\r\nx-forwarded-for: 192.0.2.7, 127.0.0.1\r\n",
                            "\r\nx-forwarded-host: app.test\r\n", "\r\ntransfer-encoding: chunked\r\n")
                    .endsWith("\r\n\r\n5\r\nhello\r\n0\r\nx-sum: 42\r\n\r\n");
            assertThat(answer.headers()).hasSize(2);
            assertThat(answer.headers().get(0).status()).hasToString("200");
            assertThat(answer.headers().get(0).contains("transfer-encoding")).isFalse();
            assertThat(answer.body()).isEqualTo("world");
            assertThat(answer.headers().get(1).get("grpc-status")).hasToString("0");
        }
    }

    /** The limits and checks of an HTTP/1.1 head apply to an HTTP/2 stream's fields as if they were one. */
    @Test
    void aStreamBreakingAnHttp11HeadsLimitGetsTheSameStatusAndNeverReachesTheBackend() throws Exception {
        try (Http2FrameClient client = start(Route.builder("app"))) {
            Http2Headers manyFields = post("/many");
            for (int i = 0; i < 101; i++) {
                manyFields.add("x-field-" + i, "v");
            }

            assertThat(client.exchange(post("/" + "x".repeat(9000)), null).headers().get(0).status())
                    .hasToString("414");
            assertThat(client.exchange(manyFields, null).headers().get(0).status()).hasToString("431");
            assertThat(client.exchange(post("/big").add("x-big", "v".repeat(17_000)), null).headers().get(0)
                    .status()).hasToString("431");
            backend.setSoTimeout(200);
            assertThatThrownBy(backend::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void theRoutesResponseEditsAndCompressionApplyToTheFrames() throws Exception {
        RoutePolicies policies = RoutePolicies.of(
                List.of(new ResponseCompression(new Compression(List.of("gzip"), List.of()))),
                HeaderEdits.builder().remove("Server").add("X-Served-By", "edge").build());
        String text = "compress me ".repeat(200);
        try (Http2FrameClient client = start(Route.builder("app").policies(policies))) {
            answerOnce("HTTP/1.1 200 OK\r\nServer: backend/1.0\r\nContent-Type: text/plain\r\nContent-Length: "
                    + text.length() + "\r\n\r\n" + text);

            Http2FrameClient.Answer answer = client.exchange(new DefaultHttp2Headers().method("GET").scheme("https")
                    .authority("app.test").path("/page").add("accept-encoding", "gzip"), null);

            Http2Headers head = answer.headers().get(0);
            assertThat(head.status()).hasToString("200");
            assertThat(head.contains("server")).isFalse();
            assertThat(head.get("x-served-by")).hasToString("edge");
            assertThat(head.get("content-encoding")).hasToString("gzip");
            assertThat(head.get("vary")).hasToString("Accept-Encoding");
            assertThat(head.contains("content-length")).isFalse();
            assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(answer.content())).readAllBytes(),
                    StandardCharsets.UTF_8)).isEqualTo(text);
        }
    }
}
