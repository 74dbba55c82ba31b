package io.swarmgate.config;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.swarmgate.testing.LoopbackWireMock;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code authUrl} through real sockets: a WireMock authentication service that lets requests through, refuses them,
 * redirects them, hangs, or is not there, and the backend that sees what the proxy forwards.
 */
class ForwardAuthTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("b").build();
    private static final ServiceRegistry registry = new ServiceRegistry(proxy::routes);
    private static WireMockServer auth;

    @BeforeAll
    static void startAuthService() {
        auth = LoopbackWireMock.start();
        auth.stubFor(get(urlEqualTo("/allow")).willReturn(aResponse().withStatus(200)
                .withHeader("X-User", "alice").withHeader("X-Not-Copied", "x")));
        auth.stubFor(get(urlEqualTo("/deny")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"api\"").withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"no token\"}")));
        auth.stubFor(get(urlEqualTo("/login")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "https://login.test/?rd=app")));
        auth.stubFor(get(urlEqualTo("/hang")).willReturn(aResponse().withStatus(200).withFixedDelay(10_000)));
    }

    @AfterAll
    static void stopAuthService() {
        auth.stop();
    }

    private static void configure(String parameters) {
        registry.apply(ReconfigureParameters.defaults().parse(query("outboundHostname=127.0.0.1&port="
                + proxy.backend().port() + "&" + parameters)));
    }

    private static String authUrl(String path) {
        return "http://127.0.0.1:" + auth.port() + path;
    }

    private static Response send(String request) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            return connection.exchange(request);
        }
    }

    @Test
    void a2xxLetsTheRequestThroughWithTheNamedAnswerFieldsInPlaceOfTheClients() throws IOException {
        configure("serviceName=fa-ok&servicePath=/ok&authUrl=" + authUrl("/allow") + "&authResponseHeaders=X-User");

        Response answer = send("GET /ok/page?q=1 HTTP/1.1\r\nHost: app.test\r\nAuthorization: Bearer t0k\r\n"
                + "X-User: mallory\r\nX-Other: kept\r\n\r\n");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.bodyText()).contains("x-user: alice", "x-other: kept").doesNotContain("mallory",
                "x-not-copied");
        auth.verify(getRequestedFor(urlEqualTo("/allow")).withHeader("X-Forwarded-Method", equalTo("GET"))
                .withHeader("X-Forwarded-Uri", equalTo("/ok/page?q=1")).withHeader("X-Forwarded-Host",
                        equalTo("app.test")).withHeader("X-Forwarded-Proto", equalTo("http"))
                .withHeader("Authorization", equalTo("Bearer t0k")).withoutHeader("X-Other"));
    }

    @Test
    void theRequestBodyStillReachesTheBackendAfterA200() throws IOException {
        configure("serviceName=fa-body&servicePath=/upload&authUrl=" + authUrl("/allow"));

        Response answer = send("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 11\r\n\r\nhello world");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.bodyText()).isEqualTo("received 11");
        auth.verify(getRequestedFor(urlEqualTo("/allow")).withHeader("X-Forwarded-Method", equalTo("POST")));
    }

    @Test
    void a401GoesBackToTheClientAsTheServiceSentIt() throws IOException {
        configure("serviceName=fa-401&servicePath=/denied&authUrl=" + authUrl("/deny"));
        int before = proxy.backend().requests();

        Response answer = send("GET /denied HTTP/1.1\r\nHost: app.test\r\n\r\n");

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"api\"");
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.bodyText()).isEqualTo("{\"error\":\"no token\"}");
        assertThat(proxy.backend().requests()).as("requests that reached the backend").isEqualTo(before);
    }

    @Test
    void a302GoesBackWithItsLocation() throws IOException {
        configure("serviceName=fa-302&servicePath=/login&authUrl=" + authUrl("/login"));

        Response answer = send("GET /login HTTP/1.1\r\nHost: app.test\r\n\r\n");

        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.header("Location")).isEqualTo("https://login.test/?rd=app");
    }

    @Test
    @Timeout(10)
    void aServiceSilentPastTheTimeoutIs504() throws IOException {
        configure("serviceName=fa-hang&servicePath=/hang&authUrl=" + authUrl("/hang") + "&authTimeout=300ms");
        int before = proxy.backend().requests();
        long start = System.nanoTime();

        Response answer = send("GET /hang HTTP/1.1\r\nHost: app.test\r\n\r\n");

        assertThat(answer.status()).isEqualTo(504);
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 5_000L);
        assertThat(proxy.backend().requests()).isEqualTo(before);
    }

    @Test
    void aServiceThatRefusesTheConnectionIs503() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        configure("serviceName=fa-refused&servicePath=/refused&authUrl=http://127.0.0.1:" + closedPort + "/verify");
        int before = proxy.backend().requests();

        Response answer = send("GET /refused HTTP/1.1\r\nHost: app.test\r\n\r\n");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(proxy.backend().requests()).isEqualTo(before);
    }
}
