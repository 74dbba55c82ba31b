package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Basic auth: the right credentials go on without their header, anything else gets the realm's challenge. */
class BasicAuthTest {
    private final BasicAuth auth = new BasicAuth("demo\"Realm", Map.of("ann", "s3cret"::equals));

    @Test
    void letsTheRightCredentialsThroughAndKeepsThemFromTheBackend() {
        TestRequest request = new TestRequest("GET", "a", "/").header("Authorization", basic("ann:s3cret"));

        assertThat(auth.onRequest(request)).isSameAs(PolicyResult.PROCEED);
        assertThat(request.removed).containsExactly("Authorization");
    }

    @Test
    void challengesMissingWrongOrMalformedCredentials() {
        for (String authorization : new String[] {null, basic("ann:wrong"), basic("bob:s3cret"), basic("ann"),
                "Basic not-base64!", "Bearer abc"}) {
            TestRequest request = new TestRequest("GET", "a", "/");
            if (authorization != null) {
                request.header("Authorization", authorization);
            }

            LocalResponse answer = (LocalResponse) auth.onRequest(request);

            assertThat(answer.status()).as(authorization).isEqualTo(401);
            assertThat(answer.header("WWW-Authenticate")).isEqualTo("Basic realm=\"demoRealm\"");
            assertThat(request.removed).isEmpty();
        }
    }

    @Test
    void needsAUser() {
        assertThatThrownBy(() -> new BasicAuth("r", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
