package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.testing.ConnectionCounter;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Clients that hold connections open or send their heads a byte at a time cost them, not the other clients. */
class HostileClientsTest {
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().backend("b").routes(p -> List.of(p.route("b", "/")))
            .autoStart(false).build();
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private void start(ProxyServer.Builder builder) {
        proxy.start(builder);
    }

    @Test
    void aConnectionBeyondTheLimitGetsA503AndIsClosed() throws IOException {
        ConnectionCounter connections = new ConnectionCounter();
        start(ProxyServer.builder().maxConnections(3).observer(connections));
        for (int i = 0; i < 3; i++) {
            sockets.add(connect());
        }
        await().until(() -> connections.opened() == 3); // accepted, not only queued by the kernel

        try (RawHttpConnection extra = RawHttpConnection.open(proxy.port())) {
            Response refused = extra.readResponse();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.bodyText()).contains("too many connections");
            assertThat(extra.isClosedByPeer()).isTrue();
        }

        sockets.remove(0).close();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> RawHttpConnection.get(proxy.port(), "a", "/x").status() == 200);
    }

    @Test
    void slowHeadsGet408WhileOtherClientsAreServedAsUsual() throws IOException {
        start(ProxyServer.builder().timeouts(Timeouts.DEFAULTS.withHttpRequest(Duration.ofSeconds(1))));
        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            Socket slow = connect();
            slow.getOutputStream().write("GET /slowloris HTTP/1.1\r\nHost: a\r\nX-Trickle: "
                    .getBytes(StandardCharsets.US_ASCII));
            sockets.add(slow);
        }

        for (int i = 0; i < 50; i++) {
            long requestStart = System.nanoTime();
            assertThat(RawHttpConnection.get(proxy.port(), "a", "/normal").status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - requestStart)).isLessThan(Duration.ofMillis(500));
            // Keep trickling on a few slow connections: it must not extend their deadline.
            sockets.get(i).getOutputStream().write('x');
        }

        for (Socket slow : sockets) {
            slow.setSoTimeout(10_000);
            String answer = readAll(slow.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 408 ");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(proxy.backend().requests()).isEqualTo(50);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 5000);
        return socket;
    }

    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    static void write(Socket socket, byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }
}
