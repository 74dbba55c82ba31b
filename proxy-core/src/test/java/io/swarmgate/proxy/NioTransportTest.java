package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Java NIO fallback, used where native epoll does not load, proxies as epoll does. */
class NioTransportTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("nio")
            .settings(builder -> builder.nativeTransport(false)).routes(p -> List.of(p.route("nio", "/"))).build();

    @Test
    void proxiesKeepAliveRequestsAndBodiesOverNio() throws Exception {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            for (int i = 0; i < 3; i++) {
                assertThat(connection.exchange("GET /x HTTP/1.1\r\nHost: a\r\n\r\n").header("X-Backend")).isEqualTo("nio");
            }
            assertThat(connection.exchange("GET /download/300000 HTTP/1.1\r\nHost: a\r\n\r\n").body()).hasSize(300_000);
            assertThat(connection.exchange("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
                    .bodyText()).isEqualTo("received 3");
        }
    }
}
