package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import io.swarmgate.testing.TestBackend;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ProxyServer#startHeld}: bound at once, but no client answered before {@link ProxyServer#accept}. */
class HeldStartTest {
    @Test
    void aClientConnectingBeforeAcceptIsAnsweredWithTheRoutesPublishedMeanwhile() throws IOException {
        try (TestBackend backend = TestBackend.start("demo")) {
            ProxyServer proxy = ProxyServer.builder().http(0).ioThreads(1).build().startHeld();
            try (RawHttpConnection early = RawHttpConnection.open(proxy.port())) {
                early.send("GET /demo HTTP/1.1\r\nHost: a\r\n\r\n");
                early.setReadTimeout(300);
                assertThatThrownBy(early::readResponse).as("an answer before accept(), from an empty table")
                        .isInstanceOf(SocketTimeoutException.class);

                proxy.routes(RouteTable.of(List.of(
                        Route.builder("demo").path("/demo").backend("127.0.0.1", backend.port()).build())));
                proxy.accept();
                early.setReadTimeout(10_000);
                Response response = early.readResponse();

                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("X-Backend")).isEqualTo("demo");
                assertThat(RawHttpConnection.get(proxy.port(), "a", "/demo").status()).isEqualTo(200);
            } finally {
                proxy.close();
            }
        }
    }
}
