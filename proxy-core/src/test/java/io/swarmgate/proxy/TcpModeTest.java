package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.swarmgate.config.GlobalRules;
import io.swarmgate.config.InvalidServiceException;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.proxy.tcp.StreamTable;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.Queries;
import io.swarmgate.testing.TcpEchoServer;
import io.swarmgate.testing.TestDnsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code reqMode=tcp}: a redis-like echo backend behind a TCP listener opened and closed by reconfigures. */
class TcpModeTest {
    private final TcpEchoServer echo = TcpEchoServer.start();
    private final TestDnsServer dns = TestDnsServer.start();
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().settings(builder -> builder.nameServer(dns.address()))
            .build();
    private final ServiceRegistry registry = new ServiceRegistry(proxy::routes, proxy::streams, GlobalRules.NONE);
    private final int srcPort = TcpEchoServer.freePort();

    @AfterEach
    void stop() {
        echo.close();
        dns.close();
    }

    private void reconfigure(String query) {
        registry.apply(Queries.service(query));
    }

    private void routeRedis(String extra) {
        reconfigure("serviceName=redis&reqMode=tcp&srcPort=" + srcPort + "&port=" + echo.port()
                + "&outboundHostname=127.0.0.1" + extra);
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", srcPort), 2000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String exchange(Socket socket, String command) throws IOException {
        socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
        byte[] answer = socket.getInputStream().readNBytes(command.length());
        return new String(answer, StandardCharsets.US_ASCII);
    }

    @Test
    void relaysBytesBothWaysOnAListenerTheReconfigureOpened() throws Exception {
        routeRedis("");

        assertThat(proxy.server().streamPorts()).containsExactly(srcPort);
        try (Socket client = connect()) {
            assertThat(exchange(client, "PING\r\n")).isEqualTo("PING\r\n");
            assertThat(exchange(client, "SET key value\r\n")).isEqualTo("SET key value\r\n");
        }
        assertThat(echo.accepted()).isEqualTo(1);
    }

    @Test
    void passesAHalfCloseOnAndKeepsTheOtherWayOpen() throws Exception {
        routeRedis("");

        try (Socket client = connect()) {
            client.getOutputStream().write("last words".getBytes(StandardCharsets.US_ASCII));
            client.shutdownOutput();

            // The backend saw the end of the client's bytes (it ends its own output only then) and still answered.
            assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("last words");
        }
    }

    @Test
    void holdsBackAWriterWhileItsReaderIsSlowThenDeliversEveryByteInOrder() throws Exception {
        routeRedis("");
        long total = 128L * 1024 * 1024;
        byte[] chunk = new byte[64 * 1024];
        new Random(7).nextBytes(chunk);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        AtomicLong written = new AtomicLong();

        try (Socket client = connect()) {
            OutputStream out = client.getOutputStream();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (long n = 0; n < total; n += chunk.length) {
                        out.write(chunk);
                        sent.update(chunk);
                        written.addAndGet(chunk.length);
                    }
                    client.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> written.get() > 1024 * 1024);

            // Nobody reads the echo: every buffer on the way fills, and the writer is held back.
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                    .until(() -> !writer.isDone() && written.get() < total);

            MessageDigest received = MessageDigest.getInstance("SHA-256");
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                received.update(buffer, 0, n);
                read += n;
            }
            writer.join();
            assertThat(echo.echoed()).as("bytes the backend received").isEqualTo(total);
            assertThat(read).isEqualTo(total);
            assertThat(received.digest()).isEqualTo(sent.digest());
        }
    }

    @Test
    void removingTheServiceClosesTheListenerButNotTheConnectionsItAccepted() throws Exception {
        routeRedis("");
        try (Socket open = connect()) {
            assertThat(exchange(open, "before")).isEqualTo("before");

            registry.remove("redis");

            assertThat(proxy.server().streamPorts()).isEmpty();
            assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
            assertThat(exchange(open, "after")).isEqualTo("after");
        }
    }

    @Test
    void aPortInUseRefusesTheReconfigureAndChangesNothing() throws Exception {
        routeRedis("");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            StreamTable before = proxy.server().streams();

            assertThatThrownBy(() -> reconfigure("serviceName=other&reqMode=tcp&srcPort=" + taken.getLocalPort()
                    + "&port=" + echo.port() + "&outboundHostname=127.0.0.1"))
                    .isInstanceOf(InvalidServiceException.class)
                    .hasMessageStartingWith("srcPort: " + taken.getLocalPort() + " cannot be listened on (")
                    .satisfies(e -> assertThat(((InvalidServiceException) e).httpStatus()).isEqualTo(409));
            assertThat(proxy.server().streams()).isSameAs(before);
            assertThat(proxy.server().streamPorts()).containsExactly(srcPort);
            assertThat(registry.services()).hasSize(1);
        }
    }

    @Test
    void closesARelayIdleForTheClientTimeout() throws Exception {
        routeRedis("&timeoutClient=1");

        try (Socket client = connect()) {
            assertThat(exchange(client, "PING")).isEqualTo("PING");
            long start = System.nanoTime();

            assertThat(client.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(700),
                    Duration.ofSeconds(3));
        }
    }

    @Test
    void balancesOverTheTasksAndSkipsOneThatRefuses() throws Exception {
        int taskPort = TcpEchoServer.freePort();
        try (TcpEchoServer first = TcpEchoServer.start("127.0.0.2", taskPort);
             TcpEchoServer second = TcpEchoServer.start("127.0.0.3", taskPort)) {
            dns.set("tasks.redis", "127.0.0.2", "127.0.0.3", "127.0.0.4"); // nothing listens on .4
            reconfigure("serviceName=redis&reqMode=tcp&srcPort=" + srcPort + "&port=" + taskPort
                    + "&discoveryType=DNS");

            for (int i = 0; i < 6; i++) {
                try (Socket client = connect()) {
                    assertThat(exchange(client, "n" + i)).isEqualTo("n" + i);
                }
            }

            assertThat(first.accepted() + second.accepted()).isEqualTo(6);
            assertThat(first.accepted()).isBetween(2, 4);
        }
    }

    @Test
    void checkTcpEjectsATaskThatStopsAcceptingWithoutAClientFindingOut() throws Exception {
        int taskPort = TcpEchoServer.freePort();
        try (TcpEchoServer first = TcpEchoServer.start("127.0.0.2", taskPort)) {
            TcpEchoServer second = TcpEchoServer.start("127.0.0.3", taskPort);
            dns.set("tasks.redis", "127.0.0.2", "127.0.0.3");
            reconfigure("serviceName=redis&reqMode=tcp&srcPort=" + srcPort + "&port=" + taskPort
                    + "&discoveryType=DNS&checkTcp=true");
            try (Socket client = connect()) {
                assertThat(exchange(client, "PING")).isEqualTo("PING");
            }

            second.close();

            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.server().tasks().stream()
                    .anyMatch(task -> task.task().equals("127.0.0.3:" + taskPort) && !task.healthy()));
            assertThat(proxy.server().tasks()).filteredOn(task -> task.task().equals("127.0.0.2:" + taskPort))
                    .singleElement().satisfies(task -> assertThat(task.healthy()).isTrue());
            assertThat(proxy.server().tasks()).as("connections relayed now").allSatisfy(task ->
                    assertThat(task.inFlight()).isZero());
        }
    }

    @Test
    void describesTheTcpRoutes() {
        routeRedis("");

        assertThat(proxy.server().streams().describe()).contains(":" + srcPort, "(default)", "redis",
                "127.0.0.1:" + echo.port());
    }
}
