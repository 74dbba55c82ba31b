package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.proxy.route.Route;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Absolute-form request targets ({@code GET http://host/path}): the target's authority takes the place of the Host
 * field (RFC 9112 §3.2.2), so the request is routed by it and the backend is sent it as Host: routing and the
 * forwarded Host never disagree.
 */
class AbsoluteFormTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("other").backend("x")
            .routes(p -> List.of(
                    Route.builder("other").domain("other.example").backend("127.0.0.1", p.backend("other").port())
                            .build(),
                    Route.builder("x").domain("x").backend("127.0.0.1", p.backend("x").port()).build()))
            .build();

    private static Response send(String request) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            return connection.exchange(request);
        }
    }

    @Test
    void theAuthorityRoutesAndIsSentAsHostWhenTheHostFieldNamesAnother() throws IOException {
        Response answer = send("GET http://other.example/a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("x-backend")).isEqualTo("other");
        assertThat(answer.bodyText()).startsWith("GET /a?b=1 HTTP/1.1\n")
                .contains("host: other.example\n").contains("x-forwarded-host: other.example\n")
                .doesNotContain("host: x\n");
    }

    @Test
    void theAuthorityKeepsItsPortAndTheHostFieldItsPlaceWhenTheyAgree() throws IOException {
        Response withPort = send("GET HTTP://other.example:8080 HTTP/1.1\r\nHost: x:8080\r\n\r\n");
        assertThat(withPort.header("x-backend")).isEqualTo("other");
        assertThat(withPort.bodyText()).startsWith("GET / HTTP/1.1\n").contains("host: other.example:8080\n")
                .doesNotContain("host: x");

        Response same = send("GET http://x/b HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(same.header("x-backend")).isEqualTo("x");
        assertThat(same.bodyText()).startsWith("GET /b HTTP/1.1\n").contains("host: x\n");
    }

    @Test
    void anHttp10RequestWithoutHostIsRoutedByItsAuthority() throws IOException {
        Response answer = send("GET http://other.example/c HTTP/1.0\r\n\r\n");

        assertThat(answer.header("x-backend")).isEqualTo("other");
        assertThat(answer.bodyText()).contains("host: other.example\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://x@other.example/a", "http://other.example@x/a", "http:///a", "http://?a",
            "ftp://other.example/a"})
    void aTargetWithoutAHostOrWithUserInformationIsRefused(String target) throws IOException {
        int before = proxy.backend("other").requests() + proxy.backend("x").requests();

        assertThat(send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(400);
        assertThat(proxy.backend("other").requests() + proxy.backend("x").requests()).isEqualTo(before);
    }
}
