package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code maxRequestBodySize}: a declared length past the limit gets 413 at once, any other body is limited. */
class BodyLimitTest {
    private final BodyLimit limit = new BodyLimit(1024);

    @Test
    void answersADeclaredLengthPastTheLimitWith413() {
        LocalResponse answer = (LocalResponse) limit.onRequest(new TestRequest("POST", "a", "/").contentLength(1025));

        assertThat(answer.status()).isEqualTo(413);
    }

    @Test
    void limitsABodyThatFitsOrDeclaresNoLength() {
        TestRequest fits = new TestRequest("POST", "a", "/").contentLength(1024);
        TestRequest chunked = new TestRequest("POST", "a", "/");

        assertThat(limit.onRequest(fits)).isSameAs(PolicyResult.PROCEED);
        assertThat(limit.onRequest(chunked)).isSameAs(PolicyResult.PROCEED);
        assertThat(fits.bodyLimit).isEqualTo(1024);
        assertThat(chunked.bodyLimit).isEqualTo(1024);
    }

    @Test
    void needsALimitAboveZero() {
        assertThatThrownBy(() -> new BodyLimit(0)).hasMessageContaining("above 0");
    }
}
