package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java NIO fallback, used where native epoll does not load, proxies as epoll does. */
class NioTransportTest {

    @Test
    void proxiesKeepAliveRequestsAndBodiesOverNio() throws Exception {
        try (TestBackend backend = TestBackend.start("nio");
             ProxyServer proxy = ProxyServer.builder().http(0).bindAddress("127.0.0.1").nativeTransport(false)
                     .routes(RouteTable.of(List.of(Route.builder("nio").path("/").backend("127.0.0.1", backend.port())
                             .build())))
                     .build().start();
             RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            for (int i = 0; i < 3; i++) {
                assertThat(connection.exchange("GET /x HTTP/1.1\r\nHost: a\r\n\r\n").header("X-Backend")).isEqualTo("nio");
            }
            assertThat(connection.exchange("GET /download/300000 HTTP/1.1\r\nHost: a\r\n\r\n").body()).hasSize(300_000);
            assertThat(connection.exchange("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
                    .bodyText()).isEqualTo("received 3");
        }
    }
}
