package io.swarmgate.config;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import io.swarmgate.testing.TlsTestClient;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code securityHeaders} and {@code corsAllowOrigins} with several origins, through real sockets: the preset on every
 * answer (HSTS over TLS only), and the one allowed origin of the request echoed per request.
 */
class AnswerHeaderPoliciesTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("b")
            .settings(builder -> builder.https(0)).build();
    private static final ServiceRegistry registry = new ServiceRegistry(proxy::routes);

    private static void configure(String parameters) {
        registry.apply(ReconfigureParameters.defaults().parse(query("outboundHostname=127.0.0.1&port="
                + proxy.backend().port() + "&" + parameters)));
    }

    private static Response get(String path, String... headers) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            return connection.exchange("GET " + path + " HTTP/1.1\r\nHost: app.test\r\n" + String.join("", headers)
                    + "\r\n");
        }
    }

    private static String getOverTls(String path) throws Exception {
        try (TlsTestClient client = TlsTestClient.open(proxy.httpsPorts().get(0), "localhost")) {
            return client.exchange("GET " + path + " HTTP/1.1\r\nHost: app.test\r\n\r\n");
        }
    }

    @Test
    void theStrictPresetIsOnEveryAnswerAndHstsOnlyOverTls() throws Exception {
        configure("serviceName=strict&servicePath=/strict&securityHeaders=strict");
        configure("serviceName=basic&servicePath=/basic&securityHeaders=basic&setResHeader=X-Frame-Options DENY");
        configure("serviceName=none&servicePath=/none");

        Response plain = get("/strict");
        String overTls = getOverTls("/strict");
        Response basic = get("/basic");

        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(plain.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(plain.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(plain.header("Cross-Origin-Opener-Policy")).isEqualTo("same-origin");
        assertThat(plain.header("Strict-Transport-Security")).as("ignored over plain HTTP, so not sent").isNull();
        assertThat(overTls).startsWith("HTTP/1.1 200 ")
                .contains("Strict-Transport-Security: max-age=63072000; includeSubDomains\r\n",
                        "X-Content-Type-Options: nosniff\r\n");
        assertThat(basic.header("Referrer-Policy")).isEqualTo("strict-origin-when-cross-origin");
        assertThat(basic.headerValues("X-Frame-Options")).as("a rule of the service changes the preset's field")
                .containsExactly("DENY");
        assertThat(getOverTls("/basic")).contains("Strict-Transport-Security: max-age=31536000\r\n");
        assertThat(get("/none").header("X-Content-Type-Options")).isNull();
    }

    @Test
    void withSeveralOriginsEachRequestGetsItsOwnEchoed() throws IOException {
        configure("serviceName=cors&servicePath=/cors&corsAllowOrigins=https://a.test,https://b.test"
                + "&corsAllowMethods=PUT&addResHeader=X-Route yes");

        Response fromA = get("/cors", "Origin: https://a.test\r\n");
        Response fromB = get("/cors", "Origin: https://b.test\r\n");
        Response fromElsewhere = get("/cors", "Origin: https://evil.test\r\n");
        Response preflight;
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            preflight = connection.exchange("OPTIONS /cors HTTP/1.1\r\nHost: app.test\r\nOrigin: https://b.test\r\n"
                    + "Access-Control-Request-Method: PUT\r\n\r\n");
        }

        assertThat(fromA.header("Access-Control-Allow-Origin")).isEqualTo("https://a.test");
        assertThat(fromB.header("Access-Control-Allow-Origin")).isEqualTo("https://b.test");
        assertThat(fromElsewhere.header("Access-Control-Allow-Origin")).isNull();
        for (Response answer : new Response[] {fromA, fromB, fromElsewhere}) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.headerValues("Vary")).containsExactly("Origin");
            assertThat(answer.header("X-Route")).as("the route's own edits still apply").isEqualTo("yes");
        }
        assertThat(preflight.status()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://b.test");
        assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("GET, HEAD, POST, PUT");
    }
}
