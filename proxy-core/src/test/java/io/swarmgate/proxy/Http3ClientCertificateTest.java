package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.swarmgate.proxy.policy.ClientCertificateRequired;
import io.swarmgate.proxy.policy.HeaderEdits;
import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.testing.ConnectionCounter;
import io.swarmgate.testing.Http2TestClient;
import io.swarmgate.testing.Http3TestClient;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code verifyClientSsl} over HTTP/3: with client authorities ({@code CA_FILE}) the QUIC handshake asks for a client
 * certificate as TCP's does, through Netty's HTTP/3 client on loopback UDP, with certificates made for the test.
 */
class Http3ClientCertificateTest {
    private static final TestCertificates.Authority AUTHORITY = TestCertificates.authority("Test CA");
    private final TestBackend backend = TestBackend.start("b");
    private final ConnectionCounter connections = new ConnectionCounter();
    private ProxyServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop();
        }
        backend.close();
    }

    private int start(List<X509Certificate> clientAuthorities) throws Exception {
        proxy = ProxyServer.builder().https(0).bindAddress("127.0.0.1").http3(true)
                .certificates(CertificateStore.of(List.of(ServerCertificate.parse("site",
                        TestCertificates.pem("localhost"))), clientAuthorities))
                .routes(RouteTable.of(List.of(
                        Route.builder("secure").path("/secure").backend("127.0.0.1", backend.port())
                                .policies(RoutePolicies.of(List.of(new ClientCertificateRequired()), HeaderEdits.NONE))
                                .build(),
                        Route.builder("open").path("/").backend("127.0.0.1", backend.port()).build())))
                .observer(connections)
                .build().start();
        return proxy.http3Ports().get(0);
    }

    @Test
    void aCertificateFromTheAuthorityReachesAVerifyClientSslRoute() throws Exception {
        int port = start(List.of(AUTHORITY.certificate()));
        TestCertificates.Authority known = AUTHORITY.issue("client");

        try (Http3TestClient client = Http3TestClient.connect("localhost", port, known.key(), known.certificate())) {
            Http3TestClient.Response answer = client.get("/secure/x").get(10, TimeUnit.SECONDS);

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.bodyText()).startsWith("GET /secure/x HTTP/1.1\n");
        }
        assertThat(backend.requests()).isEqualTo(1);
    }

    @Test
    void withoutACertificateAVerifyClientSslRouteAnswersAsOverHttp2() throws Exception {
        int port = start(List.of(AUTHORITY.certificate()));

        HttpResponse<String> overHttp2 = Http2TestClient.create().send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + proxy.httpsPorts().get(0) + "/secure/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        try (Http3TestClient client = Http3TestClient.connect("localhost", port)) {
            Http3TestClient.Response answer = client.get("/secure/x").get(10, TimeUnit.SECONDS);
            Http3TestClient.Response open = client.get("/open").get(10, TimeUnit.SECONDS);

            assertThat(overHttp2.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(overHttp2.statusCode()).isEqualTo(403);
            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.bodyText()).isEqualTo(overHttp2.body());
            assertThat(open.status()).as("a route without verifyClientSsl").isEqualTo(200);
        }
        assertThat(backend.requests()).isEqualTo(1);
    }

    /**
     * Refused as over TCP with OpenSSL: the handshake fails. In TLS 1.3 the client's certificate comes with its last
     * flight, so the client takes the connection as open until the proxy's CONNECTION_CLOSE, a TLS alert, arrives.
     */
    @Test
    void aCertificateFromAnotherAuthorityFailsTheHandshake() throws Exception {
        int port = start(List.of(AUTHORITY.certificate()));
        TestCertificates.Authority stranger = TestCertificates.authority("Other CA").issue("stranger");

        try (Http3TestClient client = Http3TestClient.connect("localhost", port, stranger.key(),
                stranger.certificate())) {
            assertThat(catchThrowable(client.get("/secure/x")::join)).isNotNull();
            QuicConnectionCloseEvent close = client.closedByServer().get(10, TimeUnit.SECONDS);
            assertThat(close.isApplicationClose()).isFalse();
            assertThat(close.error()).as("CRYPTO_ERROR: a TLS alert").isBetween(0x100, 0x1ff);
        }
        assertThat(backend.requests()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> connections.closed() == 1);
        assertThat(connections.opened()).isEqualTo(1);
    }

    @Test
    void withoutClientAuthoritiesNoCertificateIsAskedForAndVerifyClientSslRoutesAnswer403() throws Exception {
        int port = start(List.of());
        TestCertificates.Authority known = AUTHORITY.issue("client");

        try (Http3TestClient client = Http3TestClient.connect("localhost", port, known.key(), known.certificate())) {
            assertThat(client.get("/secure/x").get(10, TimeUnit.SECONDS).status()).isEqualTo(403);
            assertThat(client.get("/open").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }
}
