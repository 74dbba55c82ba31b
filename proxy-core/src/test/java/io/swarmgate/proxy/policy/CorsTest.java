package io.swarmgate.proxy.policy;

import static io.swarmgate.proxy.policy.MethodRuleTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code corsAllowOrigins}: preflights answered by the proxy, the allowed origin on every answer. */
class CorsTest {
    private final Cors cors =
            new Cors(List.of("https://app.test"), List.of("put", "DELETE"), List.of("X-Api-Key"), 600);

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
        Cors any = new Cors(List.of(Cors.ANY_ORIGIN), List.of(), List.of(), -1);
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

    @Test
    void withSeveralOriginsEchoesTheRequestsOwnAndAnswersItsPreflight() {
        Cors several = new Cors(List.of("https://a.test", "https://b.test"), List.of("PUT"), List.of(), -1);
        TestRequest fromB = new TestRequest("GET", "a", "/").header("Origin", "https://b.test");
        TestRequest fromEvil = new TestRequest("GET", "a", "/").header("Origin", "https://evil.test");
        TestRequest fromNowhere = new TestRequest("GET", "a", "/");

        assertThat(several.onRequest(fromB)).isSameAs(PolicyResult.PROCEED);
        several.onRequest(fromEvil);
        several.onRequest(fromNowhere);
        LocalResponse answer = (LocalResponse) several.onRequest(preflight("https://a.test", "PUT"));

        assertThat(lines(fromB.answerEdits.added()))
                .containsExactly("Access-Control-Allow-Origin: https://b.test\r\n", "Vary: Origin\r\n");
        assertThat(lines(fromB.answerEdits.removed())).containsExactly("access-control-allow-origin");
        assertThat(lines(fromEvil.answerEdits.added())).as("no origin echoed, but the answer varies by it")
                .containsExactly("Vary: Origin\r\n");
        assertThat(lines(fromEvil.answerEdits.removed())).containsExactly("access-control-allow-origin");
        assertThat(fromNowhere.answerEdits).isSameAs(fromEvil.answerEdits);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo("https://a.test");
        assertThat(answer.header("Vary")).isEqualTo("Origin");
        assertThat(status(several.onRequest(preflight("https://evil.test", "PUT")))).isEqualTo(403);
        HeaderEdits.Builder routeEdits = HeaderEdits.builder();
        several.addTo(routeEdits);
        assertThat(routeEdits.isEmpty()).as("nothing the same for every answer").isTrue();
    }

    @Test
    void oneOriginSetsNothingPerRequest() {
        TestRequest request = new TestRequest("GET", "a", "/").header("Origin", "https://app.test");

        cors.onRequest(request);

        assertThat(request.answerEdits).isSameAs(HeaderEdits.NONE);
    }

    private static List<String> lines(byte[][] lines) {
        return Arrays.stream(lines).map(b -> new String(b, StandardCharsets.US_ASCII)).toList();
    }

    private static TestRequest preflight(String origin, String method) {
        return new TestRequest("OPTIONS", "a", "/").header("Origin", origin)
                .header("Access-Control-Request-Method", method);
    }
}
