package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.proxy.route.Route;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import io.swarmgate.testing.RecordingBackend;
import io.swarmgate.testing.TestBackend;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pooled backend connection serves another exchange only when its last one ended cleanly on both sides: otherwise
 * the backend still expects bytes of a request, or still sends bytes of an answer, and the next client gets them, or
 * waits for the server timeout. One I/O thread, so that every exchange draws on the same pool, most recent first.
 */
class BackendConnectionReuseTest {
    private final RecordingBackend backend = RecordingBackend.start();
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder()
            .settings(builder -> builder.ioThreads(1).timeouts(Timeouts.DEFAULTS.withServer(Duration.ofSeconds(2))))
            .build();

    @AfterEach
    void stop() throws IOException {
        backend.close();
    }

    private void proxyTo(int port) {
        proxy.routes(Route.builder("all").path("/").backend("127.0.0.1", port).build());
    }

    @Test
    void aConnectionWhoseExchangesEndedCleanlyIsReused() throws IOException {
        proxyTo(backend.port());

        assertThat(body(get("/first"))).isEqualTo("connection 0");
        try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            assertThat(body(client.exchange("POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello")))
                    .isEqualTo("connection 0");
        }
        assertThat(body(get("/third"))).isEqualTo("connection 0");
        assertThat(backend.connections()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/extra", "/twice"})
    void aConnectionOnWhichTheBackendSentMoreThanTheAnswerIsClosed(String path) throws IOException {
        proxyTo(backend.port());

        assertThat(body(get(path))).isEqualTo("connection 0");
        assertThat(body(get("/next"))).isEqualTo("connection 1");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.connections().get(0).closedByPeer());
        assertThat(backend.connections().get(0).received()).doesNotContain("/next");
    }

    @Test
    void aConnectionWhoseBackendAnsweredBeforeTheWholeBodyIsClosed() throws IOException {
        proxyTo(backend.port());
        try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            // Only the head: the body, which the backend does not wait for, is still to come.
            assertThat(body(client.exchange("POST /early HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n")))
                    .isEqualTo("connection 0");
        }

        assertThat(body(get("/next"))).isEqualTo("connection 1");
        await().atMost(Duration.ofSeconds(5)).until(() -> backend.connections().get(0).closedByPeer());
        assertThat(backend.connections().get(0).received()).doesNotContain("/next");
    }

    @Test
    void aConnectionWhoseRequestBodyWasCutOffIsClosed() throws IOException {
        proxyTo(backend.port());
        assertThat(body(get("/warm"))).isEqualTo("connection 0");
        try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nhello");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> backend.connections().get(0).received().endsWith("hello"));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> backend.connections().get(0).closedByPeer());
        assertThat(body(get("/next"))).isEqualTo("connection 1");
    }

    /**
     * The deterministic form of RequestFuzzTest's rare 504 (seed 20261125): chunk lines that passed the proxy's parser
     * but not Netty's. Netty answered each with keep-alive and then ignored the connection, so the next request that
     * drew it from the pool waited for the server timeout. Now the proxy refuses them itself.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "5;ext=1ext=1\r\nhello\r\n0\r\nX-T: 1\r\n\r\n", // request 562
            "5;ext=\r\nhello\r\n0\r\nX-T: 1\r\n\r\n", // request 8256
            "5;ext=1\r\nheLlo\r\n0\t\r\nX-T: 1\r\n\r\n"}) // request 11769
    void chunkLinesANettyBackendWouldMisreadAreRefusedAndLeaveNoConnectionBehind(String body) throws IOException {
        try (TestBackend netty = TestBackend.start("fuzz")) {
            proxyTo(netty.port());
            assertThat(get("/fuzz/warm").status()).isEqualTo(200);

            try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
                Response refused = client.exchange(
                        "PUT /fuzz/up HTTP/1.1\r\nHost: fuzz.test\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
                assertThat(refused.status()).isEqualTo(400);
            }
            assertThat(get("/fuzz/valid").status()).isEqualTo(200);
        }
    }

    private Response get(String path) throws IOException {
        return RawHttpConnection.get(proxy.port(), "a", path);
    }

    private static String body(Response response) {
        assertThat(response.status()).isEqualTo(200);
        return new String(response.body(), StandardCharsets.ISO_8859_1);
    }
}
