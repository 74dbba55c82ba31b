package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code redirectFromDomain}: the listed host names (any case, any port) get a 301 to the service's domain. */
class DomainRedirectTest {
    private final DomainRedirect redirect = new DomainRedirect(Set.of("Old.example.com"), "new.example.com");

    @Test
    void redirectsAListedHostKeepingPathAndQuery() {
        LocalResponse answer = (LocalResponse) redirect.onRequest(new TestRequest("GET", "old.EXAMPLE.com:8080",
                "/a?b=1"));

        assertThat(answer.status()).isEqualTo(301);
        assertThat(answer.header("Location")).isEqualTo("http://new.example.com/a?b=1");
    }

    @Test
    void letsOtherHostsThroughExactlyNotByPrefix() {
        assertThat(redirect.onRequest(new TestRequest("GET", "old.example.com.evil", "/")))
                .isSameAs(PolicyResult.PROCEED);
        assertThat(redirect.onRequest(new TestRequest("GET", null, "/"))).isSameAs(PolicyResult.PROCEED);
    }
}
