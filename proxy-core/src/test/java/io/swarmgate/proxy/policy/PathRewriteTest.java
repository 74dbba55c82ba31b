package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code reqPathSearchReplace}: the path rewritten rule by rule, the cut-off prefix sent as X-Forwarded-Prefix. */
class PathRewriteTest {
    @Test
    void stripsAPrefixAndSaysWhichInXForwardedPrefix() {
        TestRequest request = new TestRequest("GET", "a", "/demo/items?page=2");

        assertThat(rewrite("^/demo/", "/").onRequest(request)).isSameAs(PolicyResult.PROCEED);

        assertThat(request.path()).isEqualTo("/items");
        assertThat(request.query()).isEqualTo("page=2");
        assertThat(request.removed).containsExactly("X-Forwarded-Prefix");
        assertThat(request.added).containsExactly("X-Forwarded-Prefix: /demo");
    }

    @Test
    void appliesTheRulesInOrderWithGroupReferencesAndKeepsTheLeadingSlash() {
        PathRewrite rewrite = new PathRewrite(List.of(
                new PathRewrite.Rule(Pattern.compile("^/v(\\d)/"), "api-$1/"),
                new PathRewrite.Rule(Pattern.compile("users"), "people")));
        TestRequest request = new TestRequest("GET", "a", "/v2/users");

        rewrite.onRequest(request);

        assertThat(request.path()).isEqualTo("/api-2/people");
        assertThat(request.added).isEmpty();
    }

    @Test
    void leavesAPathNoRuleMatchesUntouched() {
        TestRequest request = new TestRequest("GET", "a", "/other");

        rewrite("^/demo/", "/").onRequest(request);

        assertThat(request.path()).isEqualTo("/other");
        assertThat(request.removed).isEmpty();
    }

    private static PathRewrite rewrite(String search, String replacement) {
        return new PathRewrite(List.of(new PathRewrite.Rule(Pattern.compile(search), replacement)));
    }
}
