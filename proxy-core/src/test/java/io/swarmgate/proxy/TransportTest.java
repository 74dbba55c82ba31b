package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.uring.IoUring;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.testing.Http3TestClient;
import io.swarmgate.testing.LogCapture;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestCertificates;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each transport a user can ask for proxies alike: io_uring and epoll (both load on the project's Linux machines) and
 * the Java NIO fallback used where neither does. Backend connections and HTTP/3's datagrams run on the same event
 * loops as the client connections, so they must take the same transport's channels.
 */
class TransportTest {
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().backend("b").autoStart(false)
            .routes(p -> List.of(p.route("b", "/"))).build();

    @ParameterizedTest
    @EnumSource(value = SocketTransport.class, names = {"IO_URING", "EPOLL", "NIO"})
    void proxiesKeepAliveRequestsBodiesAndNewConnections(SocketTransport transport) throws Exception {
        try (LogCapture log = LogCapture.of(ProxyServer.class)) {
            proxy.start(ProxyServer.builder().transport(transport));

            assertThat(log.messages()).anyMatch(line -> line.contains("(" + transport + " transport"));
            assertThat(log.messages().stream().anyMatch(line -> line.contains("io_uring transport is an experiment")))
                    .as("warned of io_uring's risks").isEqualTo(transport == SocketTransport.IO_URING);
        }
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            for (int i = 0; i < 3; i++) {
                assertThat(connection.exchange("GET /x HTTP/1.1\r\nHost: a\r\n\r\n").header("X-Backend")).isEqualTo("b");
            }
            assertThat(connection.exchange("GET /download/300000 HTTP/1.1\r\nHost: a\r\n\r\n").body()).hasSize(300_000);
            assertThat(connection.exchange("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
                    .bodyText()).isEqualTo("received 3");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(RawHttpConnection.get(proxy.port(), "a", "/new-" + i).header("X-Backend")).isEqualTo("b");
        }
    }

    @Test
    void ioUringAcceptsOneConnectionAtATime() {
        proxy.start(ProxyServer.builder().transport(SocketTransport.IO_URING));

        assertThat(IoUring.isAcceptMultishotEnabled()).as("multishot accept left new connections waiting").isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = SocketTransport.class, names = {"IO_URING", "EPOLL"})
    void servesHttp3OnTheTransportsDatagramChannels(SocketTransport transport) throws Exception {
        ProxyServer server = proxy.start(ProxyServer.builder().transport(transport).https(0).http3(true)
                .certificates(CertificateStore.of(List.of(ServerCertificate.parse("site",
                        TestCertificates.pem("localhost"))))));

        try (Http3TestClient client = Http3TestClient.connect("localhost", server.http3Ports().get(0))) {
            Http3TestClient.Response answer = client.get("/h3").get(10, TimeUnit.SECONDS);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("x-backend")).isEqualTo("b");
        }
    }
}
