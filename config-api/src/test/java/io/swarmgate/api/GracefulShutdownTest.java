package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIGTERM to a real Swarmgate process under load: every request a client started before the signal is answered
 * in full, and the process exits within its grace period.
 */
class GracefulShutdownTest {
    private static final int CLIENTS = 8;

    private record Outcome(long startNanos, long endNanos, boolean ok) {
    }

    @Test
    @Timeout(120) // a start-up line that never matches must fail the test, not hang the build
    void requestsStartedBeforeSigtermAllSucceed() throws Exception {
        try (TestBackend backend = TestBackend.start("slowish");
             SwarmgateProcess server = SwarmgateProcess.start(Map.of())) {
            Process swarmgate = server.process();
            int proxyPort = server.proxyPort();
            reconfigure(server.apiPort(), backend.port());

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
