package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.policy.HeaderEdits;
import io.swarmgate.proxy.policy.LocalResponse;
import io.swarmgate.proxy.policy.MethodRule;
import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.testing.Http2FrameClient;
import io.swarmgate.testing.ProxyExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The proxy's own short responses to an HTTP/2 client (an error, a policy's redirect, a user's error page) come as
 * HEADERS and DATA with the fields an HTTP/1.1 client gets, without the connection's own.
 */
class Http2LocalAnswerTest {
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder()
            .settings(builder -> builder.https(0).errorPages(ErrorPages.of(Map.of(403, "<h1>Not for you</h1>"))))
            .routes(p -> List.of(
                    Route.builder("guarded").path("/guarded").backend("127.0.0.1", 1)
                            .policies(RoutePolicies.of(List.of(new MethodRule(Set.of("GET"), Set.of())),
                                    HeaderEdits.NONE)).build(),
                    Route.builder("moved").path("/moved").backend("127.0.0.1", 1)
                            .policies(RoutePolicies.of(List.of(request -> LocalResponse.redirect(301,
                                    "https://example.org/new")), HeaderEdits.NONE)).build()))
            .build();
    private Http2FrameClient client;

    @BeforeEach
    void start() throws Exception {
        client = new Http2FrameClient(proxy.httpsPorts().get(0));
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private static Http2Headers request(String method, String path) {
        return new DefaultHttp2Headers().method(method).scheme("https").authority("localhost").path(path);
    }

    @Test
    void anErrorComesAsHeadersAndData() throws Exception {
        Http2FrameClient.Answer answer = client.exchange(request("GET", "/nothing-here"), null);

        String text = "503 Service Unavailable\nNo service is configured for this request.\n";
        assertThat(answer.headers()).hasSize(1);
        Http2Headers head = answer.headers().get(0);
        assertThat(head.status().toString()).isEqualTo("503");
        assertThat(head.get("content-type").toString()).isEqualTo("text/plain; charset=utf-8");
        assertThat(head.get("content-length").toString()).isEqualTo(String.valueOf(text.length()));
        assertThat(head.get("cache-control").toString()).isEqualTo("no-cache");
        assertThat(head.contains("connection")).isFalse();
        assertThat(answer.body()).isEqualTo(text);
    }

    @Test
    void aPolicysRedirectCarriesItsLocation() throws Exception {
        Http2FrameClient.Answer answer = client.exchange(request("GET", "/moved/page"), null);

        assertThat(answer.headers().get(0).status().toString()).isEqualTo("301");
        assertThat(answer.headers().get(0).get("location").toString()).isEqualTo("https://example.org/new");
        assertThat(answer.body()).isEqualTo("301 Moved Permanently\nMoved to https://example.org/new\n");
    }

    @Test
    void aUsersErrorPageIsTheBody() throws Exception {
        Http2FrameClient.Answer answer = client.exchange(request("DELETE", "/guarded"), null);

        assertThat(answer.headers().get(0).status().toString()).isEqualTo("403");
        assertThat(answer.headers().get(0).get("content-type").toString()).isEqualTo("text/html; charset=utf-8");
        assertThat(answer.body()).isEqualTo("<h1>Not for you</h1>");
    }

    @Test
    void aHeadRequestGetsTheHeadAlone() throws Exception {
        Http2FrameClient.Answer answer = client.exchange(request("HEAD", "/nothing-here"), null);

        assertThat(answer.headers()).hasSize(1);
        assertThat(answer.headers().get(0).status().toString()).isEqualTo("503");
        assertThat(answer.body()).isEmpty();
    }

    @Test
    void theConnectionServesTheNextStreamAfterAnError() throws Exception {
        client.exchange(request("GET", "/nothing-here"), null);

        assertThat(client.exchange(request("GET", "/moved/x"), null).headers().get(0).status().toString())
                .isEqualTo("301");
    }
}
