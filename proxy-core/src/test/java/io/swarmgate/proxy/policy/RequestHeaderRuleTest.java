package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.proxy.policy.RequestHeaderRule.Action;
import io.swarmgate.proxy.policy.RequestHeaderRule.Edit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request header edits: delete, set (delete then add) and add, each when its TLS condition holds. */
class RequestHeaderRuleTest {
    @Test
    void deletesSetsAndAddsFieldsWithTheRequestsSamples() {
        RequestHeaderRule rule = new RequestHeaderRule(List.of(
                new Edit(Action.DELETE, "X-Debug", null, TlsCondition.ALWAYS),
                new Edit(Action.SET, "X-Service", HeaderTemplate.parse("go-demo"), TlsCondition.ALWAYS),
                new Edit(Action.ADD, "X-Client-Ip", HeaderTemplate.parse("%[src]"), TlsCondition.ALWAYS)));
        TestRequest request = new TestRequest("GET", "a", "/");

        assertThat(rule.onRequest(request)).isSameAs(PolicyResult.PROCEED);

        assertThat(request.removed).containsExactly("X-Debug", "X-Service");
        assertThat(request.added).containsExactly("X-Service: go-demo", "X-Client-Ip: 10.0.7.21");
    }

    @Test
    void makesAnEditOnlyOverTheConnectionsItsConditionNames() {
        RequestHeaderRule rule = new RequestHeaderRule(List.of(
                new Edit(Action.ADD, "X-Tls", HeaderTemplate.parse("yes"), TlsCondition.TLS)));
        TestRequest plain = new TestRequest("GET", "a", "/");
        TestRequest overTls = new TestRequest("GET", "a", "/");
        overTls.secure = true;

        rule.onRequest(plain);
        rule.onRequest(overTls);

        assertThat(plain.added).isEmpty();
        assertThat(overTls.added).containsExactly("X-Tls: yes");
    }
}
