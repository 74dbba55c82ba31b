package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM to a real Swarmgate process under load: every request a client started before the signal is answered
 * in full, and the process exits within its grace period.
 */
class GracefulShutdownTest {
    private static final Pattern STARTED =
            Pattern.compile("proxy on port\\(s\\) \\[(\\d+)], configuration API on [^:]+:(\\d+)");
    private static final int CLIENTS = 8;

    private record Outcome(long startNanos, long endNanos, boolean ok) {
    }

    @Test
    @Timeout(120) // a start-up line that never matches must fail the test, not hang the build
    void requestsStartedBeforeSigtermAllSucceed() throws Exception {
        try (TestBackend backend = TestBackend.start("slowish")) {
            Process swarmgate = startSwarmgate();
            try {
                int[] ports = awaitPorts(swarmgate);
                int proxyPort = ports[0];
                reconfigure(ports[1], backend.port());

                ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
                List<Thread> clients = new ArrayList<>();
                long hardStop = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (int i = 0; i < CLIENTS; i++) {
                    Thread client = new Thread(() -> requestUntilRefused(proxyPort, outcomes, hardStop));
                    client.start();
                    clients.add(client);
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> outcomes.size() >= 50);

                long signal = System.nanoTime();
                swarmgate.destroy(); // SIGTERM
                assertThat(swarmgate.waitFor(15, TimeUnit.SECONDS)).as("exited within the grace period").isTrue();
                for (Thread client : clients) {
                    client.join(TimeUnit.SECONDS.toMillis(35));
                }

                List<Outcome> startedBefore = outcomes.stream().filter(o -> o.startNanos() < signal).toList();
                assertThat(startedBefore).hasSizeGreaterThanOrEqualTo(50);
                assertThat(startedBefore).filteredOn(o -> o.endNanos() > signal)
                        .as("requests in flight when the signal came").isNotEmpty();
                assertThat(startedBefore).filteredOn(o -> !o.ok()).as("failed requests started before SIGTERM")
                        .isEmpty();
            } finally {
                swarmgate.destroyForcibly();
            }
        }
    }

    /** Keep-alive requests that take 100 ms at the backend, until the proxy stops answering. */
    private static void requestUntilRefused(int port, ConcurrentLinkedQueue<Outcome> outcomes, long hardStop) {
        RawHttpConnection connection = null;
        try {
            while (System.nanoTime() < hardStop) {
                long start = System.nanoTime();
                try {
                    if (connection == null) {
                        connection = RawHttpConnection.open(port);
                    }
                    RawHttpConnection.Response response =
                            connection.exchange("GET /delay/100 HTTP/1.1\r\nHost: a\r\n\r\n");
                    outcomes.add(new Outcome(start, System.nanoTime(), response.status() == 200));
                    if ("close".equalsIgnoreCase(response.header("Connection"))) {
                        connection.close();
                        connection = null;
                    }
                } catch (IOException e) {
                    outcomes.add(new Outcome(start, System.nanoTime(), false));
                    if (connection == null) {
                        return; // could not even connect: the proxy is gone
                    }
                    closeQuietly(connection);
                    connection = null;
                }
            }
        } finally {
            if (connection != null) {
                closeQuietly(connection);
            }
        }
    }

    private static Process startSwarmgate() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName()).redirectErrorStream(true);
        builder.environment().put("PORT", "0");
        builder.environment().put("IP", "127.0.0.1");
        builder.environment().put("DEFAULT_PORTS", "0");
        return builder.start();
    }

    /** The data-plane and API ports, read from the start-up line; the rest of the output is drained. */
    private static int[] awaitPorts(Process process) throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = output.readLine()) != null) {
            Matcher started = STARTED.matcher(line);
            if (started.find()) {
                Thread drain = new Thread(() -> drainQuietly(output));
                drain.setDaemon(true);
                drain.start();
                return new int[] {Integer.parseInt(started.group(1)), Integer.parseInt(started.group(2))};
            }
        }
        throw new AssertionError("Swarmgate exited before it started");
    }

    private static void drainQuietly(BufferedReader output) {
        try {
            while (output.readLine() != null) {
                // the server's log is not needed past start-up
            }
        } catch (IOException closedWithTheProcess) {
            // the process is gone
        }
    }

    private static void reconfigure(int apiPort, int backendPort) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + apiPort + "/v1/docker-flow-proxy/reconfigure?serviceName=slowish"
                                + "&servicePath=/delay&port=" + backendPort + "&outboundHostname=127.0.0.1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
    }

    private static void closeQuietly(RawHttpConnection connection) {
        try {
            connection.close();
        } catch (IOException ignored) {
            // already broken
        }
    }
}
