package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code allowedMethods} and {@code deniedMethods}: a 403 for a method not allowed or denied, any case in the list. */
class MethodRuleTest {
    @Test
    void answersAMethodOutsideTheAllowedOnesWith403() {
        MethodRule rule = new MethodRule(Set.of("get", " HEAD "), Set.of());

        assertThat(rule.onRequest(new TestRequest("GET", "a", "/"))).isSameAs(PolicyResult.PROCEED);
        assertThat(rule.onRequest(new TestRequest("HEAD", "a", "/"))).isSameAs(PolicyResult.PROCEED);
        assertThat(status(rule.onRequest(new TestRequest("POST", "a", "/")))).isEqualTo(403);
    }

    @Test
    void answersADeniedMethodWith403AndLetsTheOthersThrough() {
        MethodRule rule = new MethodRule(Set.of(), Set.of("DELETE"));

        assertThat(status(rule.onRequest(new TestRequest("DELETE", "a", "/")))).isEqualTo(403);
        assertThat(rule.onRequest(new TestRequest("PUT", "a", "/"))).isSameAs(PolicyResult.PROCEED);
    }

    static int status(PolicyResult result) {
        return ((LocalResponse) result).status();
    }
}
