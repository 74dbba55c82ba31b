package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.ssl.SslProvider;
import io.swarmgate.proxy.internal.http2.Http2Connections;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.proxy.tls.TlsPolicy;
import io.swarmgate.testing.Http2FrameClient;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.TestCertificates;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/2 clients get no tunnel either: the proxy does not advertise extended CONNECT (RFC 8441), and a CONNECT, plain
 * or extended, is refused with a 400 that says so, while the connection serves on.
 */
class Http2ConnectTest {
    private static final CharSequence PROTOCOL = Http2Headers.PseudoHeaderName.PROTOCOL.value();
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("b")
            .settings(builder -> builder.https(0)
                    .certificates(CertificateStore.of(List.of(ServerCertificate.parse("site",
                            TestCertificates.pem("localhost"))), SslProvider.OPENSSL, List.of(), TlsPolicy.DEFAULT)))
            .routes(p -> List.of(p.route("b", "/b")))
            .build();

    private static Http2Headers get(String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("https").authority("localhost").path(path);
    }

    private static void assertRefusedAndTheConnectionServesOn(Http2Headers request) throws Exception {
        int before = proxy.backend().requests();
        try (Http2FrameClient frames = new Http2FrameClient(proxy.httpsPorts().get(0))) {
            Http2FrameClient.Answer refused = frames.exchange(request, null);
            assertThat(refused.headers().get(0).status()).hasToString("400");
            assertThat(refused.body()).contains("CONNECT");

            Http2FrameClient.Answer next = frames.exchange(get("/b/next"), null);
            assertThat(next.headers().get(0).status()).hasToString("200");
        }
        assertThat(proxy.backend().requests()).isEqualTo(before + 1);
    }

    @Test
    void extendedConnectIsNotAdvertised() {
        assertThat(Http2Connections.serverSettings().connectProtocolEnabled()).isNull();
    }

    @Test
    void aConnectIsRefused() throws Exception {
        assertRefusedAndTheConnectionServesOn(new DefaultHttp2Headers(false).method("CONNECT")
                .authority("backend.internal:22"));
    }

    @Test
    void anExtendedConnectForAWebSocketIsRefused() throws Exception {
        assertRefusedAndTheConnectionServesOn(new DefaultHttp2Headers(false).method("CONNECT").scheme("https")
                .authority("localhost").path("/b/chat").add(PROTOCOL, "websocket"));
    }

    @Test
    void aProtocolOnAnotherMethodIsRefused() throws Exception {
        assertRefusedAndTheConnectionServesOn(get("/b/chat").add(PROTOCOL, "websocket"));
    }

    @Test
    void anH2cSettingsFieldDoesNotReachTheBackend() throws Exception {
        try (Http2FrameClient frames = new Http2FrameClient(proxy.httpsPorts().get(0))) {
            Http2FrameClient.Answer answer = frames.exchange(get("/b/settings")
                    .add("http2-settings", "AAMAAABkAARAAAAAAAIAAAAA"), null);

            assertThat(answer.headers().get(0).status()).hasToString("200");
            assertThat(answer.body()).startsWith("GET /b/settings HTTP/1.1\n").doesNotContain("http2-settings");
        }
    }
}
