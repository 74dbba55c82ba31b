package io.swarmgate.proxy.acme;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.proxy.policy.HeaderEdits;
import io.swarmgate.proxy.policy.HttpsRedirect;
import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestCertificates;
import io.swarmgate.testing.TlsTestClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The data plane answers a CA's validations: HTTP-01 before routes and redirects, TLS-ALPN-01 by ALPN and SNI. */
class AcmeChallengesTest {
    private final AcmeChallenges challenges = new AcmeChallenges();
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().backend("b")
            .settings(builder -> builder.https(0).acmeChallenges(challenges)
                    .certificates(CertificateStore.of(List.of(ServerCertificate.parse("site",
                            TestCertificates.pem("a.test"))))))
            .routes(p -> List.of(Route.builder("b").path("/").backend("127.0.0.1", p.backend().port())
                    .policies(RoutePolicies.of(List.of(new HttpsRedirect(HttpsRedirect.When.NOT_SECURE, 301)),
                            HeaderEdits.NONE))
                    .build()))
            .build();

    @Test
    void answersAPendingHttp01TokenBeforeTheRouteRedirectsToHttps() throws Exception {
        challenges.http01("tok-1", "tok-1.thumbprint");

        RawHttpConnection.Response answer = RawHttpConnection.get(proxy.ports().get(0), "a.test",
                AcmeChallenges.HTTP01_PATH + "tok-1");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("tok-1.thumbprint");
    }

    @Test
    void leavesUnknownAndRemovedTokensToTheRoutes() throws Exception {
        challenges.http01("tok-1", "tok-1.thumbprint");
        challenges.removeHttp01("tok-1");
        challenges.http01("tok-2", "tok-2.thumbprint");

        int port = proxy.ports().get(0);
        assertThat(RawHttpConnection.get(port, "a.test", AcmeChallenges.HTTP01_PATH + "tok-1").status())
                .isEqualTo(301);
        assertThat(RawHttpConnection.get(port, "a.test", AcmeChallenges.HTTP01_PATH + "other").status())
                .isEqualTo(301);
        assertThat(RawHttpConnection.get(port, "a.test", "/page").status()).isEqualTo(301);
    }

    @Test
    void servesTheTlsAlpn01CertificateOnlyToAHandshakeOfferingAcmeTlsAlone() throws Exception {
        TestCertificates.Authority validation = TestCertificates.authority("a.test validation");
        challenges.tlsAlpn01("A.test", validation.certificate(), validation.key());
        int port = proxy.httpsPorts().get(0);

        try (TlsTestClient ca = TlsTestClient.offering(port, "a.test", AcmeChallenges.ACME_TLS_1)) {
            assertThat(ca.leaf()).isEqualTo(validation.certificate());
            assertThat(ca.applicationProtocol()).isEqualTo(AcmeChallenges.ACME_TLS_1);
        }
        try (TlsTestClient browser = TlsTestClient.offering(port, "a.test", "h2", "http/1.1");
             TlsTestClient mixed = TlsTestClient.offering(port, "a.test", AcmeChallenges.ACME_TLS_1, "http/1.1");
             TlsTestClient otherHost = TlsTestClient.offering(port, "b.test", AcmeChallenges.ACME_TLS_1)) {
            assertThat(browser.serverNames()).containsExactly("a.test");
            assertThat(mixed.serverNames()).containsExactly("a.test");
            assertThat(otherHost.leaf()).isNotEqualTo(validation.certificate());
        }
    }

    @Test
    void servesTheSiteCertificateAgainOnceTheValidationIsOver() throws Exception {
        TestCertificates.Authority validation = TestCertificates.authority("a.test validation");
        challenges.tlsAlpn01("a.test", validation.certificate(), validation.key());
        challenges.removeTlsAlpn01("a.test");

        try (TlsTestClient ca = TlsTestClient.offering(proxy.httpsPorts().get(0), "a.test",
                AcmeChallenges.ACME_TLS_1)) {
            assertThat(ca.serverNames()).containsExactly("a.test");
        }
    }
}
