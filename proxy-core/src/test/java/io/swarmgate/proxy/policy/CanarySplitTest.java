package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.proxy.upstream.Backend;
import org.junit.jupiter.api.Test;

/** {@code canaryCookie} and {@code canaryHeader}: which variant a request names, read in place. */
class CanarySplitTest {
    private static final Backend CANARY = Backend.of("shop-v2", 8080);
    private final CanarySplit split = new CanarySplit(CANARY, 0, "X-Canary", "shop-variant");

    private Backend sentTo(String cookie) {
        TestRequest request = new TestRequest("GET", "a", "/").header("Cookie", cookie);
        split.onRequest(request);
        return request.backend;
    }

    @Test
    void theCookieNamesAVariantAmongOthersWhateverItsPlace() {
        assertThat(sentTo("shop-variant=canary")).isSameAs(CANARY);
        assertThat(sentTo("theme=dark; shop-variant=canary")).isSameAs(CANARY);
        assertThat(sentTo("theme=dark;shop-variant=canary ;x=y")).isSameAs(CANARY);
        assertThat(sentTo("theme=dark; shop-variant=stable")).isNull();
    }

    @Test
    void aCookieThatOnlyLooksLikeItDrawsByWeightAndIsPinned() {
        for (String cookie : new String[] {"my-shop-variant=canary", "shop-variant=canaryx", "shop-variant",
            "shop-variants=canary", "shop-variant=", "x=shop-variant=canary"}) {
            TestRequest request = new TestRequest("GET", "a", "/").header("Cookie", cookie);
            split.onRequest(request);

            assertThat(request.backend).as(cookie).isNull();
            assertThat(request.answerEdits.isEmpty()).as(cookie + ": pinned to its draw").isFalse();
        }
    }
}
