package io.swarmgate.proxy.policy;

import static io.swarmgate.proxy.policy.MethodRuleTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code denyHttp}: a request over plain HTTP gets 403, one over TLS goes on. */
class PlainHttpDenialTest {
    private final PlainHttpDenial denial = new PlainHttpDenial();

    @Test
    void deniesPlainHttpAndLetsTlsThrough() {
        TestRequest plain = new TestRequest("GET", "a", "/");
        TestRequest overTls = new TestRequest("GET", "a", "/");
        overTls.secure = true;

        assertThat(status(denial.onRequest(plain))).isEqualTo(403);
        assertThat(denial.onRequest(overTls)).isSameAs(PolicyResult.PROCEED);
    }
}
