package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.testing.Http3TestClient;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP/3 on the UDP side of a TLS port, through Netty's HTTP/3 client on loopback, to an HTTP/1.1 backend. */
class Http3Test {
    private final TestBackend backend = TestBackend.start("b");
    private final List<CompletedExchange> exchanges = new CopyOnWriteArrayList<>();
    private ProxyServer proxy;
    private Http3TestClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
        backend.close();
    }

    private void start() throws Exception {
        proxy = ProxyServer.builder().https(0).bindAddress("127.0.0.1").http3(true)
                .certificates(CertificateStore.of(List.of(ServerCertificate.parse("site",
                        TestCertificates.pem("localhost")))))
                .routes(RouteTable.of(List.of("/b", "/upload", "/download").stream()
                        .map(path -> Route.builder("b" + path).path(path).backend("127.0.0.1", backend.port()).build())
                        .toList()))
                .observer(new ProxyObserver() {
                    @Override
                    public void exchangeCompleted(CompletedExchange exchange) {
                        exchanges.add(exchange);
                    }
                })
                .build().start();
        assertThat(proxy.http3Ports()).isEqualTo(proxy.httpsPorts());
        client = Http3TestClient.connect("localhost", proxy.http3Ports().get(0));
    }

    @Test
    void getReachesTheBackendAsAnHttp11RequestAndIsLoggedAsHttp3() throws Exception {
        start();

        Http3TestClient.Response answer = client.get("/b/echo?x=1").get(10, TimeUnit.SECONDS);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("x-backend")).isEqualTo("b");
        assertThat(answer.bodyText()).startsWith("GET /b/echo?x=1 HTTP/1.1\n")
                .contains("host: localhost:" + proxy.http3Ports().get(0) + "\n")
                .contains("x-forwarded-proto: https\n")
                .contains("x-forwarded-for: 127.0.0.1\n")
                .doesNotContain("transfer-encoding");
        await().atMost(Duration.ofSeconds(5)).until(() -> !exchanges.isEmpty());
        CompletedExchange logged = exchanges.get(0);
        assertThat(logged.protocol()).isEqualTo("HTTP/3.0");
        assertThat(logged.status()).isEqualTo(200);
        assertThat(logged.target()).isEqualTo("/b/echo?x=1");
        assertThat(logged.route().serviceName()).isEqualTo("b/b");
        assertThat(logged.sentBytes()).isPositive();
    }
}
