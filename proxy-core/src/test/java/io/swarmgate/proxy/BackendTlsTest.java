package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.proxy.tls.SelfSignedCertificate;
import io.swarmgate.testing.NettyLeakCheck;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.Queries;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS to backends: DFP's {@code sslVerifyNone} speaks TLS to a backend whose certificate nobody vouches for;
 * {@code backendProtocol=https} checks the certificate, so the same backend is refused (503) rather than trusted.
 */
@ExtendWith(NettyLeakCheck.class)
class BackendTlsTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().build();
    private static final ServiceRegistry registry = new ServiceRegistry(proxy::routes);
    private static TestBackend tlsBackend;

    @BeforeAll
    static void start() throws Exception {
        tlsBackend = TestBackend.startTls("tls", SelfSignedCertificate.create("localhost", List.of("localhost")));
    }

    @AfterAll
    static void stop() {
        tlsBackend.close();
    }

    private static RawHttpConnection.Response get(String path) throws Exception {
        return RawHttpConnection.get(proxy.port(), "app.test", path);
    }

    @Test
    void sslVerifyNoneSpeaksTlsToTheBackendWithoutCheckingIt() throws Exception {
        registry.apply(Queries.service("serviceName=unverified&servicePath=/unverified&sslVerifyNone=true"
                + "&outboundHostname=localhost&port=" + tlsBackend.port()));

        int opened = tlsBackend.connectionsOpened();
        try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            RawHttpConnection.Response first = client.exchange("GET /unverified/a HTTP/1.1\r\nHost: app.test\r\n\r\n");
            RawHttpConnection.Response second = client.exchange("GET /unverified/b HTTP/1.1\r\nHost: app.test\r\n\r\n");

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("X-Backend")).isEqualTo("tls");
            assertThat(second.status()).isEqualTo(200);
        }
        assertThat(tlsBackend.connectionsOpened() - opened).as("the TLS connection is pooled and reused").isEqualTo(1);
    }

    @Test
    void httpsChecksTheBackendsCertificateAndRefusesOneNobodyVouchesFor() throws Exception {
        registry.apply(Queries.service("serviceName=verified&servicePath=/verified&backendProtocol=https"
                + "&outboundHostname=localhost&port=" + tlsBackend.port()));

        assertThat(get("/verified/a").status()).isEqualTo(503);
    }

    @Test
    void plainHttpToATlsBackendIsABadGatewayNotAHang() throws Exception {
        registry.apply(Queries.service("serviceName=plain&servicePath=/plain&outboundHostname=localhost&port="
                + tlsBackend.port()));

        assertThat(get("/plain/a").status()).isIn(502, 504);
    }
}
