package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.swarmgate.proxy.policy.ClientCertificateRequired;
import io.swarmgate.proxy.policy.HeaderEdits;
import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import io.swarmgate.testing.TlsTestClient;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HTTPS on a TLS listener: certificates chosen by SNI, replaced without a restart, and bad ones refused. */
class TlsTest {
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().backend("b").autoStart(false).build();
    private TestBackend backend;

    @BeforeEach
    void backend() {
        backend = proxy.backend("b");
    }

    private void start(CertificateStore certificates) {
        ProxyServer.Builder builder = ProxyServer.builder().https(0)
                .routes(RouteTable.of(List.of(Route.builder("b").path("/").backend("127.0.0.1", backend.port()).build())));
        if (certificates != null) {
            builder.certificates(certificates);
        }
        proxy.start(builder);
    }

    private static ServerCertificate certificate(String name, String... hosts) throws InvalidCertificateException {
        return ServerCertificate.parse(name, TestCertificates.pem(hosts));
    }

    @Test
    void picksTheCertificateBySniExactlyThenByWildcardThenTheDefault() throws Exception {
        start(CertificateStore.of(List.of(certificate("a-site", "a.test"), certificate("b-wild", "*.wild.test"))));

        try (TlsTestClient exact = TlsTestClient.open(proxy.httpsPorts().get(0), "a.test");
             TlsTestClient wildcard = TlsTestClient.open(proxy.httpsPorts().get(0), "x.wild.test");
             TlsTestClient unknown = TlsTestClient.open(proxy.httpsPorts().get(0), "nobody.test");
             TlsTestClient twoLabels = TlsTestClient.open(proxy.httpsPorts().get(0), "x.y.wild.test")) {
            assertThat(exact.serverNames()).containsExactly("a.test");
            assertThat(wildcard.serverNames()).containsExactly("*.wild.test");
            assertThat(unknown.serverNames()).containsExactly("a.test"); // the first by name is the default
            assertThat(twoLabels.serverNames()).containsExactly("a.test");
        }
    }

    @Test
    void relaysRequestsOverTlsAndTellsTheBackendTheyWereSecure() throws Exception {
        start(CertificateStore.of(List.of(certificate("a-site", "a.test"))));

        try (TlsTestClient client = TlsTestClient.open(proxy.httpsPorts().get(0), "a.test")) {
            String answer = client.exchange("GET /secure HTTP/1.1\r\nHost: a.test\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200 ").contains("x-forwarded-proto: https\n")
                    .contains("x-forwarded-port: " + proxy.httpsPorts().get(0) + "\n");
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void servesWithOpenSslAndWithTheJdk(SslProvider provider) throws Exception {
        assertThat(OpenSsl.isAvailable()).as("netty-tcnative loads on this machine").isTrue();
        start(CertificateStore.of(List.of(certificate("a-site", "a.test")), provider));

        assertThat(proxy.server().certificates().provider()).isEqualTo(provider);
        try (TlsTestClient client = TlsTestClient.open(proxy.httpsPorts().get(0), "a.test")) {
            assertThat(client.serverNames()).containsExactly("a.test");
            assertThat(client.exchange("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n")).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void verifyClientSslAsksForACertificateFromTheAuthority() throws Exception {
        TestCertificates.Authority authority = TestCertificates.authority("Test CA");
        TestCertificates.Authority client = authority.issue("client");
        TestCertificates.Authority stranger = TestCertificates.authority("Other CA").issue("stranger");
        proxy.start(ProxyServer.builder().https(0)
                .certificates(CertificateStore.of(List.of(certificate("a-site", "a.test")), SslProvider.OPENSSL,
                        List.of(authority.certificate())))
                .routes(RouteTable.of(List.of(
                        Route.builder("secure").path("/secure").backend("127.0.0.1", backend.port())
                                .policies(RoutePolicies.of(List.of(new ClientCertificateRequired()), HeaderEdits.NONE))
                                .build(),
                        Route.builder("open").path("/").backend("127.0.0.1", backend.port()).build()))));
        int port = proxy.httpsPorts().get(0);

        try (TlsTestClient anonymous = TlsTestClient.open(port, "a.test")) {
            assertThat(anonymous.exchange("GET /secure HTTP/1.1\r\nHost: a.test\r\n\r\n")).startsWith("HTTP/1.1 403 ");
            assertThat(anonymous.exchange("GET /open HTTP/1.1\r\nHost: a.test\r\n\r\n")).startsWith("HTTP/1.1 200 ");
        }
        try (TlsTestClient known = TlsTestClient.open(port, "a.test", client.key(), client.certificate())) {
            assertThat(known.exchange("GET /secure HTTP/1.1\r\nHost: a.test\r\n\r\n")).startsWith("HTTP/1.1 200 ");
        }
        String refused;
        try (TlsTestClient unknown = TlsTestClient.open(port, "a.test", stranger.key(), stranger.certificate())) {
            refused = unknown.exchange("GET /secure HTTP/1.1\r\nHost: a.test\r\n\r\n");
        } catch (java.io.IOException e) {
            refused = "refused at the handshake";
        }
        assertThat(refused).as("a certificate from another authority").doesNotStartWith("HTTP/1.1 200");
    }

    @Test
    void servesASelfSignedCertificateWhenItHasNone() throws Exception {
        start(null);

        try (TlsTestClient client = TlsTestClient.open(proxy.httpsPorts().get(0), "localhost")) {
            assertThat(client.serverNames()).containsExactly("localhost");
            assertThat(client.exchange("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void aReplacedCertificateServesTheNextHandshakeWhileOpenConnectionsKeepTheirs() throws Exception {
        ServerCertificate first = certificate("site", "a.test");
        start(CertificateStore.of(List.of(first)));
        try (TlsTestClient before = TlsTestClient.open(proxy.httpsPorts().get(0), "a.test")) {
            ServerCertificate second = certificate("site", "a.test");
            proxy.server().certificates(proxy.server().certificates().with(second));

            try (TlsTestClient after = TlsTestClient.open(proxy.httpsPorts().get(0), "a.test")) {
                assertThat(after.leaf()).isEqualTo(second.chain().get(0));
                assertThat(before.leaf()).isEqualTo(first.chain().get(0));
                assertThat(before.exchange("GET /still HTTP/1.1\r\nHost: a.test\r\n\r\n")).startsWith("HTTP/1.1 200 ");
            }
        }
    }

    @Test
    void refusesBundlesThatCannotBeServedSayingWhy() {
        assertThatThrownBy(() -> ServerCertificate.parse("mixed", TestCertificates.mismatched("a.test")))
                .isInstanceOf(InvalidCertificateException.class)
                .hasMessage("mixed: the private key does not match the first certificate");
        assertThatThrownBy(() -> ServerCertificate.parse("old", TestCertificates.expired("a.test")))
                .hasMessageStartingWith("old: expired on ");
        assertThatThrownBy(() -> ServerCertificate.parse("junk", "-----BEGIN CERTIFICATE-----\nnot base64\n"
                + "-----END CERTIFICATE-----\n")).hasMessageStartingWith("junk: not a readable PEM bundle");
        String certificateOnly = TestCertificates.pem("a.test").replaceAll(
                "(?s)-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----\\s*", "");
        assertThatThrownBy(() -> ServerCertificate.parse("half", certificateOnly))
                .hasMessageStartingWith("half: no private key");
    }
}
