package io.swarmgate.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslProvider;
import io.swarmgate.proxy.ProxyServer;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.TestCertificates;
import io.swarmgate.testing.TrustingManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SSL_BIND_OPTIONS and SSL_BIND_CIPHERS as a client sees them, with OpenSSL and with the JDK's TLS. */
class TlsPolicyTest {
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().autoStart(false).build();

    private int serve(SslProvider provider, TlsPolicy policy) throws Exception {
        proxy.start(ProxyServer.builder().https(0)
                .certificates(CertificateStore.of(List.of(ServerCertificate.parse("site",
                        TestCertificates.pem("a.test"))), provider, List.of(), policy)));
        return proxy.httpsPorts().get(0);
    }

    /** Completes a handshake offering only these versions and suites; returns the protocol and suite agreed. */
    private static String handshake(int port, String protocol, String... suites) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustingManager()}, new SecureRandom());
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "a.test", port, true)) {
            socket.setEnabledProtocols(new String[] {protocol});
            if (suites.length > 0) {
                socket.setEnabledCipherSuites(suites);
            }
            socket.setSoTimeout(5000);
            socket.startHandshake();
            return socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void noTlsv12RefusesATls12OnlyClient(SslProvider provider) throws Exception {
        int port = serve(provider, TlsPolicy.fromBindSettings("no-sslv3 no-tlsv12", "", true));

        assertThat(handshake(port, "TLSv1.3")).startsWith("TLSv1.3 ");
        assertThatThrownBy(() -> handshake(port, "TLSv1.2")).isInstanceOf(SSLException.class);
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"OPENSSL", "JDK"})
    void aCipherListIsHonouredOverTls12(SslProvider provider) throws Exception {
        int port = serve(provider, TlsPolicy.fromBindSettings("force-tlsv12", "ECDHE-ECDSA-AES128-GCM-SHA256", true));

        assertThat(handshake(port, "TLSv1.2")).isEqualTo("TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThatThrownBy(() -> handshake(port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"))
                .isInstanceOf(SSLException.class);
        assertThatThrownBy(() -> handshake(port, "TLSv1.3")).isInstanceOf(SSLException.class);
    }

    @Test
    void byDefaultOnlyTls12And13WithModernSuites() throws Exception {
        int port = serve(SslProvider.OPENSSL, TlsPolicy.DEFAULT);

        assertThat(handshake(port, "TLSv1.3")).startsWith("TLSv1.3 ");
        assertThat(handshake(port, "TLSv1.2")).startsWith("TLSv1.2 TLS_ECDHE_ECDSA_");
        assertThatThrownBy(() -> handshake(port, "TLSv1.1")).isInstanceOf(SSLException.class);
        assertThatThrownBy(() -> handshake(port, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"))
                .isInstanceOf(SSLException.class);
    }

    @Test
    void optionsNarrowTheVersionsAndWhatIsNotUnderstoodChangesNothing() {
        assertThat(TlsPolicy.fromBindSettings("ssl-min-ver TLSv1.3", "", true).protocols())
                .containsExactly("TLSv1.3");
        assertThat(TlsPolicy.fromBindSettings("ssl-max-ver TLSv1.2 no-tls-tickets", "", true).protocols())
                .containsExactly("TLSv1.2");
        assertThat(TlsPolicy.fromBindSettings("prefer-client-ciphers force-tlsv11", "NOT-A-CIPHER", false))
                .isEqualTo(TlsPolicy.DEFAULT.withHttp2(false));
        assertThat(TlsPolicy.fromBindSettings("no-tlsv12 no-tlsv13", "", true).protocols())
                .containsExactly("TLSv1.3", "TLSv1.2");
    }
}
