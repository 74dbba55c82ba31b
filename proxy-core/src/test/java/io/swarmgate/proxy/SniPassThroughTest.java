package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmgate.config.GlobalRules;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.Queries;
import io.swarmgate.testing.TcpEchoServer;
import io.swarmgate.testing.TlsNameBackend;
import java.io.BufferedReader;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code reqMode=sni}: TLS connections routed by the server name of their ClientHello to TLS backends, the session
 * passing through untouched: the client verifies the backend's own certificate, which the proxy never had.
 */
class SniPassThroughTest {
    private final TlsNameBackend alpha = TlsNameBackend.start("alpha.test");
    private final TlsNameBackend beta = TlsNameBackend.start("beta.example.test");
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().build();
    private final ServiceRegistry registry = new ServiceRegistry(proxy::routes, proxy::streams, GlobalRules.NONE);
    private final int srcPort = TcpEchoServer.freePort();
    private SSLContext trustingTheBackends;

    @BeforeEach
    void route() throws Exception {
        reconfigure("serviceName=alpha&reqMode=sni&srcPort=" + srcPort + "&port=" + alpha.port()
                + "&servicePath=alpha.test&outboundHostname=127.0.0.1");
        reconfigure("serviceName=beta&reqMode=sni&srcPort=" + srcPort + "&port=" + beta.port()
                + "&servicePath=beta.&pathType=req_ssl_sni -i -m beg&outboundHostname=127.0.0.1");
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("alpha", alpha.certificate());
        trusted.setCertificateEntry("beta", beta.certificate());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        trustingTheBackends = SSLContext.getInstance("TLS");
        trustingTheBackends.init(null, trust.getTrustManagers(), null);
    }

    @AfterEach
    void stop() {
        alpha.close();
        beta.close();
    }

    private void reconfigure(String query) {
        registry.apply(Queries.service(query));
    }

    /** A TLS exchange through the proxy that checks the certificate names {@code serverName}, as HTTPS clients do. */
    private String ask(Socket plain, String serverName, String line) throws IOException {
        plain.connect(new InetSocketAddress("127.0.0.1", srcPort), 2000);
        plain.setSoTimeout(10_000);
        try (SSLSocket tls = (SSLSocket) trustingTheBackends.getSocketFactory()
                .createSocket(plain, serverName, srcPort, true)) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            tls.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            tls.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @Test
    void routesEachServerNameToItsBackendWithoutTerminatingTls() throws Exception {
        assertThat(ask(new Socket(), "alpha.test", "hello")).isEqualTo("alpha.test: hello");
        assertThat(ask(new Socket(), "beta.example.test", "hi")).isEqualTo("beta.example.test: hi");

        assertThat(alpha.requestedNames()).containsExactly("alpha.test");
        assertThat(beta.requestedNames()).containsExactly("beta.example.test");
    }

    @Test
    void routesAClientHelloThatArrivesInManySmallPieces() throws Exception {
        assertThat(ask(new TricklingSocket(), "alpha.test", "slowly")).isEqualTo("alpha.test: slowly");
    }

    @Test
    void closesAConnectionWhoseServerNameNoRouteTakes() {
        assertThatThrownBy(() -> ask(new Socket(), "gamma.test", "hello")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ask(new Socket(), "alpha.test.evil", "hello")).isInstanceOf(IOException.class);

        assertThat(alpha.requestedNames()).isEmpty();
        assertThat(beta.requestedNames()).isEmpty();
    }

    @Test
    void closesAConnectionThatIsNotTls() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", srcPort)) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: alpha.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(plain.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void closesAConnectionWhoseClientHelloDoesNotComeWithinTheInspectDelay() throws Exception {
        try (Socket silent = new Socket("127.0.0.1", srcPort)) {
            silent.setSoTimeout(10_000);
            long start = System.nanoTime();

            assertThat(silent.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(4),
                    Duration.ofSeconds(8));
        }
    }

    @Test
    void aTcpDefaultOnThePortTakesWhatIsNotTlsAndWhatStaysSilent() throws Exception {
        try (TcpEchoServer redis = TcpEchoServer.greeting("+OK ready\r\n")) {
            reconfigure("serviceName=redis&reqMode=tcp&srcPort=" + srcPort + "&port=" + redis.port()
                    + "&outboundHostname=127.0.0.1");

            try (Socket clientSpeaksFirst = new Socket("127.0.0.1", srcPort)) {
                clientSpeaksFirst.setSoTimeout(10_000);
                clientSpeaksFirst.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(clientSpeaksFirst.getInputStream().readNBytes(17), StandardCharsets.US_ASCII))
                        .isEqualTo("+OK ready\r\nPING\r\n");
            }
            try (Socket serverSpeaksFirst = new Socket("127.0.0.1", srcPort)) {
                serverSpeaksFirst.setSoTimeout(10_000);
                long start = System.nanoTime();
                assertThat(new String(serverSpeaksFirst.getInputStream().readNBytes(11), StandardCharsets.US_ASCII))
                        .isEqualTo("+OK ready\r\n");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the inspect delay")
                        .isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
            }
            assertThat(ask(new Socket(), "alpha.test", "tls")).isEqualTo("alpha.test: tls");
        }
    }

    @Test
    void removingAServiceLeavesTheOtherOnThePort() throws Exception {
        registry.remove("alpha");

        assertThatThrownBy(() -> ask(new Socket(), "alpha.test", "hello")).isInstanceOf(IOException.class);
        assertThat(ask(new Socket(), "beta.example.test", "still")).isEqualTo("beta.example.test: still");
    }

    /** A socket whose first bytes (the ClientHello) leave in pieces of 40 bytes, each on its own. */
    private static final class TricklingSocket extends Socket {
        private OutputStream trickling;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (trickling == null) {
                trickling = new FilterOutputStream(super.getOutputStream()) {
                    private int sent;

                    @Override
                    public void write(byte[] bytes, int offset, int length) throws IOException {
                        while (length > 0 && sent < 1024) {
                            int piece = Math.min(length, 40);
                            out.write(bytes, offset, piece);
                            out.flush();
                            sent += piece;
                            offset += piece;
                            length -= piece;
                            pause();
                        }
                        out.write(bytes, offset, length);
                    }
                };
                setTcpNoDelay(true);
            }
            return trickling;
        }

        /** Paces the pieces, so that each is a packet of its own: what is tested is their arrival apart. */
        private static void pause() throws IOException {
            try {
                Thread.sleep(15);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
    }
}
