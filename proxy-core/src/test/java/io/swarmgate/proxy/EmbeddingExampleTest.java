package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedding example of docs/reference/embedding.md, compiled and run as it stands there. */
class EmbeddingExampleTest {

    @Test
    void readmeExampleRoutesThenStops() throws Exception {
        try (TestBackend backend = TestBackend.start("go-demo")) {
            int backendPort = backend.port();

            ProxyServer proxy = ProxyServer.builder()
                    .http(0)                                   // 0 picks a free port; proxy.port() tells which
                    .build()
                    .start();
            proxy.routes(RouteTable.of(List.of(               // publish a table: the next request uses it
                    Route.builder("go-demo").path("/demo").backend("127.0.0.1", backendPort).build())));
            int port = proxy.port();
            var answer = RawHttpConnection.get(port, "localhost", "/demo/hello");
            proxy.stop();                                      // graceful: requests in flight finish

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("X-Backend")).isEqualTo("go-demo");
            assertThatThrownBy(() -> RawHttpConnection.get(port, "localhost", "/demo/hello"))
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void builderRejectsBadSettingsAtOnce() {
        assertThatThrownBy(() -> ProxyServer.builder().http(70000))
                .hasMessage("port: 70000 (expected: 0-65535)");
        assertThatThrownBy(() -> ProxyServer.builder().build())
                .hasMessage("no listener: call http(port) or https(port) at least once");
        assertThatThrownBy(() -> Route.builder("x").path("demo"))
                .hasMessage("path: 'demo' (expected: a prefix starting with /)");
    }
}
