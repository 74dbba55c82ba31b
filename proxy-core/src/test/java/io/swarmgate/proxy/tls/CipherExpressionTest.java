package io.swarmgate.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** OpenSSL cipher strings, as SSL_BIND_CIPHERS gives them, evaluated as OpenSSL would. */
class CipherExpressionTest {
    @Test
    void dockerFlowProxysDefaultSelectsForwardSecretSuitesFirstAndRsaKeyExchangeLast() {
        CipherExpression dfp = CipherExpression.parse("ECDH+AESGCM:ECDH+CHACHA20:DH+AESGCM:ECDH+AES256:DH+AES256:"
                + "ECDH+AES128:DH+AES:RSA+AESGCM:RSA+AES:!aNULL:!MD5:!DSS");

        assertThat(dfp.unknown()).isEmpty();
        assertThat(dfp.suites()).startsWith("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")
                .endsWith("TLS_RSA_WITH_AES_128_CBC_SHA")
                .doesNotHaveDuplicates();
    }

    @Test
    void bangRemovesForGoodMinusUntilAddedAgainPlusMovesToTheEnd() {
        assertThat(CipherExpression.parse("ECDHE-RSA-AES128-GCM-SHA256:!AES128:AES128-GCM-SHA256").suites())
                .isEmpty();
        assertThat(CipherExpression.parse("ECDHE-RSA-AES128-GCM-SHA256:-AES128:ECDHE-RSA-AES128-GCM-SHA256")
                .suites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(CipherExpression.parse("kECDHE+aRSA+AESGCM:+AES128").suites()).containsExactly(
                "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void reportsWordsThatAreNeitherSuitesNorAliasesAndIgnoresObsoleteOnes() {
        CipherExpression expression = CipherExpression.parse("ECDHE-ECDSA-AES128-GCM-SHA256:RC4:NOPE-CIPHER:@STRENGTH");

        assertThat(expression.suites()).containsExactly("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertThat(expression.unknown()).containsExactly("NOPE-CIPHER");
    }
}
