package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmgate.proxy.policy.HttpsRedirect.When;
import org.junit.jupiter.api.Test;

/** Plain-HTTP requests are sent to https with host, path and query kept; what counts as plain depends on the rule. */
class HttpsRedirectTest {
    @Test
    void redirectsARequestNotOverTlsKeepingHostPathAndQuery() {
        HttpsRedirect redirect = new HttpsRedirect(When.NOT_SECURE, 308);
        TestRequest overTls = new TestRequest("GET", "shop.example.com", "/cart");
        overTls.secure = true;

        LocalResponse answer = (LocalResponse) redirect.onRequest(new TestRequest("GET", "shop.example.com",
                "/cart?item=2"));

        assertThat(answer.status()).isEqualTo(308);
        assertThat(answer.header("Location")).isEqualTo("https://shop.example.com/cart?item=2");
        assertThat(redirect.onRequest(overTls)).isSameAs(PolicyResult.PROCEED);
    }

    @Test
    void decidesByXForwardedProtoBehindATlsOffloadingBalancer() {
        HttpsRedirect whenHttp = new HttpsRedirect(When.FORWARDED_PROTO_HTTP, 302);
        HttpsRedirect unlessHttps = new HttpsRedirect(When.FORWARDED_PROTO_NOT_HTTPS, 302);
        TestRequest unmarked = new TestRequest("GET", "a", "/");
        TestRequest http = new TestRequest("GET", "a", "/").header("X-Forwarded-Proto", "HTTP");
        TestRequest https = new TestRequest("GET", "a", "/").header("X-Forwarded-Proto", "https");

        assertThat(whenHttp.onRequest(unmarked)).isSameAs(PolicyResult.PROCEED);
        assertThat(whenHttp.onRequest(http)).isInstanceOf(LocalResponse.class);
        assertThat(unlessHttps.onRequest(unmarked)).isInstanceOf(LocalResponse.class);
        assertThat(unlessHttps.onRequest(https)).isSameAs(PolicyResult.PROCEED);
    }

    @Test
    void letsARequestWithoutHostThroughAndRefusesACodeThatIsNoRedirect() {
        assertThat(new HttpsRedirect(When.NOT_SECURE, 301).onRequest(new TestRequest("GET", null, "/")))
                .isSameAs(PolicyResult.PROCEED);
        assertThatThrownBy(() -> new HttpsRedirect(When.NOT_SECURE, 200)).hasMessageContaining("3xx");
    }
}
