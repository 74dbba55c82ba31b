package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.proxy.upstream.BackendProtocol;
import io.swarmgate.testing.GrpcLikeBackend;
import io.swarmgate.testing.Http2FrameClient;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RecordingBackend;
import io.swarmgate.testing.TcpSegments;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request whose head and body reach the proxy in one read leave it for a pooled backend connection in one write:
 * one system call, and one wake-up of the backend, instead of the head's and then the body's. The kernel's count of
 * the data segments the backend received tells the writes apart. One I/O thread, so that the second request draws on
 * the connection the first left in the pool.
 */
class BackendWritesTest {
    private final RecordingBackend backend = RecordingBackend.start();
    private final GrpcLikeBackend grpcBackend = new GrpcLikeBackend();
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().settings(builder -> builder.ioThreads(1).https(0))
            .routes(p -> List.of(
                    Route.builder("grpc").path("/echo.Echo/")
                            .backend(Backend.of("127.0.0.1", grpcBackend.port()).protocol(BackendProtocol.H2C)).build(),
                    Route.builder("form").path("/").backend("127.0.0.1", backend.port()).build()))
            .build();

    @AfterEach
    void stop() throws Exception {
        backend.close();
        grpcBackend.close();
    }

    @Test
    void aPostWithItsBodyInOneReadReachesAPooledConnectionInOneWrite() throws Exception {
        String post = "POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
        try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            assertThat(client.exchange(post).status()).isEqualTo(200);
            long before = TcpSegments.receivedOnPort(backend.port());

            assertThat(client.exchange(post).bodyText()).isEqualTo("connection 0");

            assertThat(backend.connections()).hasSize(1);
            assertThat(TcpSegments.receivedOnPort(backend.port()) - before).isEqualTo(1);
        }
    }

    @Test
    void aGrpcCallWithItsMessageInOneReadReachesAPooledH2cConnectionInOneWrite() throws Exception {
        Http2Headers call = new DefaultHttp2Headers().method("POST").scheme("https").authority("localhost")
                .path("/echo.Echo/Say").add("content-type", "application/grpc").add("te", "trailers");
        try (Http2FrameClient client = new Http2FrameClient(proxy.httpsPorts().get(0))) {
            for (String warmUp : List.of("first", "second")) { // the connection's settings exchanged and acknowledged
                assertThat(client.exchange(call, warmUp).body()).isEqualTo(warmUp);
            }
            long before = TcpSegments.receivedOnPort(grpcBackend.port());

            assertThat(client.exchange(call, "third").body()).isEqualTo("third");

            assertThat(TcpSegments.receivedOnPort(grpcBackend.port()) - before).isEqualTo(1);
        }
    }
}
