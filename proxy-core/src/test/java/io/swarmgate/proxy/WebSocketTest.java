package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.proxy.route.Route;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import io.swarmgate.testing.WebSocketEchoBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WebSocket through the proxy: the upgrade is relayed, then frames flow both ways until either side closes. */
class WebSocketTest {
    private static final WebSocketEchoBackend sockets = WebSocketEchoBackend.start();
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("http")
            .routes(p -> List.of(
                    Route.builder("ws").path("/ws").path("/nows").backend("127.0.0.1", sockets.port()).build(),
                    p.route("http", "/")))
            .build();

    @AfterAll
    static void stop() {
        sockets.close();
    }

    @Test
    void echoesTenThousandFramesInOrderThroughARealClient() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        StringBuilder partial = new StringBuilder();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    received.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        };
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"), listener)
                .get(5, TimeUnit.SECONDS);

        for (int i = 0; i < 10_000; i++) {
            socket.sendText("frame " + i, true).get(5, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 10_000);
        for (int i = 0; i < 10_000; i++) {
            assertThat(received.get(i)).isEqualTo("frame " + i);
        }
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }

    @Test
    void carriesALargeBinaryMessageBothWays() throws Exception {
        ByteBuffer sent = ByteBuffer.allocate(512 * 1024);
        for (int i = 0; i < sent.capacity(); i++) {
            sent.put((byte) (i * 31));
        }
        sent.flip();
        ByteBuffer received = ByteBuffer.allocate(sent.capacity());
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        synchronized (received) {
                            received.put(data);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(5, TimeUnit.SECONDS);

        socket.sendBinary(sent.duplicate(), true).get(5, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            synchronized (received) {
                return received.position() == sent.capacity();
            }
        });
        assertThat(received.flip()).isEqualTo(sent);
        socket.abort();
    }

    @Test
    void aRefusedUpgradeLeavesTheConnectionToHttp() throws Exception {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            Response refused = connection.exchange("GET /nows HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                    + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
            assertThat(refused.status()).isEqualTo(404);

            Response next = connection.exchange("GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.bodyText()).startsWith("GET /after HTTP/1.1");
        }
    }

    @Test
    void anUpgradeNamingH2cBesideWebSocketIsRelayedAsWebSocketAlone() throws Exception {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            Response switched = connection.exchange("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\n"
                    + "Upgrade: h2c, websocket\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

            assertThat(switched.status()).isEqualTo(101);
            assertThat(switched.header("upgrade")).isEqualToIgnoringCase("websocket");
        }
    }
}
