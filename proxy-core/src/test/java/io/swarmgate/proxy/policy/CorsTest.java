package io.swarmgate.proxy.policy;

import static io.swarmgate.proxy.policy.MethodRuleTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code corsAllowOrigins}: preflights answered by the proxy, the allowed origin on every answer. */
class CorsTest {
    private final Cors cors = new Cors("https://app.test", List.of("put", "DELETE"), List.of("X-Api-Key"), 600);

    @Test
    void answersAPreflightFromTheAllowedOriginItself() {
        LocalResponse answer = (LocalResponse) cors.onRequest(preflight("https://app.test", "PUT"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("https://app.test");
        assertThat(answer.header("Access-Control-Allow-Methods")).isEqualTo("GET, HEAD, POST, DELETE, PUT");
        assertThat(answer.header("Access-Control-Allow-Headers")).isEqualTo("X-Api-Key");
        assertThat(answer.header("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(answer.header("Vary")).isEqualTo("Origin");
        assertThat(cors.onRequest(preflight("https://app.test", "GET"))).isSameAs(answer);
    }

    @Test
    void refusesAPreflightFromAnotherOriginOrForAMethodNotAllowed() {
        assertThat(status(cors.onRequest(preflight("https://evil.test", "PUT")))).isEqualTo(403);
        assertThat(status(cors.onRequest(preflight("https://app.test", "PATCH")))).isEqualTo(403);
    }

    @Test
    void letsEveryOtherRequestThroughIncludingAPlainOptions() {
        assertThat(cors.onRequest(new TestRequest("GET", "a", "/").header("Origin", "https://evil.test")))
                .isSameAs(PolicyResult.PROCEED);
        assertThat(cors.onRequest(new TestRequest("OPTIONS", "a", "/"))).isSameAs(PolicyResult.PROCEED);
        assertThat(cors.onRequest(new TestRequest("OPTIONS", "a", "/").header("Origin", "https://app.test")))
                .isSameAs(PolicyResult.PROCEED);
    }

    @Test
    void anyOriginNeedsNoVaryAndSaysNothingItWasNotGiven() {
        Cors any = new Cors(Cors.ANY_ORIGIN, List.of(), List.of(), -1);
        LocalResponse answer = (LocalResponse) any.onRequest(preflight("https://whoever.test", "POST"));

        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("*");
        assertThat(answer.header("Access-Control-Allow-Methods")).isEqualTo("GET, HEAD, POST");
        assertThat(answer.header("Access-Control-Allow-Headers")).isNull();
        assertThat(answer.header("Access-Control-Max-Age")).isNull();
        assertThat(answer.header("Vary")).isNull();
    }

    @Test
    void everyAnswerGetsTheOriginReplacingTheBackendsAndVaryAdded() {
        HeaderEdits.Builder edits = HeaderEdits.builder();
        cors.addTo(edits);
        HeaderEdits built = edits.build();

        assertThat(Arrays.stream(built.removed()).map(b -> new String(b, StandardCharsets.US_ASCII)))
                .containsExactly("access-control-allow-origin");
        assertThat(Arrays.stream(built.added()).map(b -> new String(b, StandardCharsets.US_ASCII)))
                .containsExactly("Access-Control-Allow-Origin: https://app.test\r\n", "Vary: Origin\r\n");
    }

    private static TestRequest preflight(String origin, String method) {
        return new TestRequest("OPTIONS", "a", "/").header("Origin", origin)
                .header("Access-Control-Request-Method", method);
    }
}
