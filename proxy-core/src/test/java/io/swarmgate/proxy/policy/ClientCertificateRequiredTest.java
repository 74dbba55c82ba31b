package io.swarmgate.proxy.policy;

import static io.swarmgate.proxy.policy.MethodRuleTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code verifyClientSsl}: only a client whose certificate the handshake verified gets through. */
class ClientCertificateRequiredTest {
    private final ClientCertificateRequired required = new ClientCertificateRequired();

    @Test
    void letsOnlyAVerifiedClientCertificateThrough() {
        TestRequest withoutCertificate = new TestRequest("GET", "a", "/");
        withoutCertificate.secure = true;
        TestRequest verified = new TestRequest("GET", "a", "/");
        verified.secure = true;
        verified.clientCertificateVerified = true;

        assertThat(status(required.onRequest(withoutCertificate))).isEqualTo(403);
        assertThat(required.onRequest(verified)).isSameAs(PolicyResult.PROCEED);
    }
}
