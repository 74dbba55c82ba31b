package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.testing.Http2TestClient;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The protocol an exchange reports, for the access log, is the one the client spoke. */
class ExchangeProtocolTest {
    @RegisterExtension
    final ProxyExtension proxyExtension = ProxyExtension.builder().autoStart(false).build();
    @Test
    void reportsHttp2StreamsAsHttp2AndHttp1RequestsByTheirVersion() throws Exception {
        ConcurrentLinkedQueue<String> protocols = new ConcurrentLinkedQueue<>();
        ProxyObserver recorder = new ProxyObserver() {
            @Override
            public void exchangeCompleted(CompletedExchange exchange) {
                protocols.add(exchange.target() + " " + exchange.protocol());
            }
        };
        try (TestBackend backend = TestBackend.start("b");
             ProxyServer proxy = proxyExtension.start(ProxyServer.builder().https(0).observer(recorder)
                     .routes(RouteTable.of(List.of(
                             Route.builder("b").path("/").backend("127.0.0.1", backend.port()).build()))))) {
            HttpResponse<String> h2 = Http2TestClient.create().send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + proxy.httpsPorts().get(0) + "/h2"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
            try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
                connection.exchange("GET /h10 HTTP/1.0\r\nHost: a\r\n\r\n");
            }
            RawHttpConnection.get(proxy.port(), "a", "/h11");

            await().untilAsserted(() -> assertThat(protocols)
                    .containsExactlyInAnyOrder("/h2 HTTP/2.0", "/h10 HTTP/1.0", "/h11 HTTP/1.1"));
        }
    }
}
