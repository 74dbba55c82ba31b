package io.swarmgate.config;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.testing.Http2FrameClient;
import io.swarmgate.testing.LoopbackWireMock;
import io.swarmgate.testing.ProxyExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Forward auth's answer relayed to an HTTP/2 client (TLS with ALPN h2): the auth service's status, its fields and its
 * body arrive as the stream's HEADERS and DATA, as an HTTP/1.1 client gets them ({@link ForwardAuthTest}).
 */
class Http2ForwardAuthTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("b")
            .settings(builder -> builder.https(0)).build();
    private static final ServiceRegistry registry = new ServiceRegistry(proxy::routes);
    private static WireMockServer auth;
    private Http2FrameClient client;

    @BeforeAll
    static void startAuthService() {
        auth = LoopbackWireMock.start();
        auth.stubFor(get(urlEqualTo("/deny")).willReturn(aResponse().withStatus(401)
                .withHeader("WWW-Authenticate", "Bearer realm=\"api\"").withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"no token\"}")));
        auth.stubFor(get(urlEqualTo("/login")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "https://login.test/?rd=app")));
    }

    @AfterAll
    static void stopAuthService() {
        auth.stop();
    }

    @BeforeEach
    void connect() throws Exception {
        client = new Http2FrameClient(proxy.httpsPorts().get(0));
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    private static void configure(String service, String path, String authPath) {
        registry.apply(ReconfigureParameters.defaults().parse(query("outboundHostname=127.0.0.1&port="
                + proxy.backend().port() + "&serviceName=" + service + "&servicePath=" + path
                + "&authUrl=http://127.0.0.1:" + auth.port() + authPath)));
    }

    private Http2FrameClient.Answer ask(String path) throws Exception {
        return client.exchange(new DefaultHttp2Headers().method("GET").scheme("https").authority("localhost")
                .path(path), null);
    }

    @Test
    void a401ComesWithItsChallengeAndBody() throws Exception {
        configure("h2-fa-401", "/denied", "/deny");
        int before = proxy.backend().requests();

        Http2FrameClient.Answer answer = ask("/denied");

        Http2Headers head = answer.headers().get(0);
        assertThat(head.status().toString()).isEqualTo("401");
        assertThat(head.get("www-authenticate").toString()).isEqualTo("Bearer realm=\"api\"");
        assertThat(head.get("content-type").toString()).isEqualTo("application/json");
        assertThat(head.contains("connection")).isFalse();
        assertThat(answer.body()).isEqualTo("{\"error\":\"no token\"}");
        assertThat(proxy.backend().requests()).as("requests that reached the backend").isEqualTo(before);
    }

    @Test
    void a302ComesWithItsLocation() throws Exception {
        configure("h2-fa-302", "/login", "/login");

        Http2FrameClient.Answer answer = ask("/login");

        assertThat(answer.headers().get(0).status().toString()).isEqualTo("302");
        assertThat(answer.headers().get(0).get("location").toString()).isEqualTo("https://login.test/?rd=app");
        assertThat(ask("/login").headers().get(0).status().toString()).as("the next stream on the connection")
                .isEqualTo("302");
    }
}
