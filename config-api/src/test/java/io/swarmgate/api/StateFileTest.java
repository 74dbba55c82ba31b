package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code STATE_FILE}: a real process killed with SIGKILL in the middle of a storm of reconfigures restarts with a
 * whole table, the one of some moment of the storm, and routes it before anything reaches its API.
 */
class StateFileTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    private static HttpResponse<String> get(int port, String pathAndQuery) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String reconfigure(String name, int backendPort) {
        return "/v1/docker-flow-proxy/reconfigure?serviceName=" + name + "&servicePath=/" + name + "&port="
                + backendPort + "&outboundHostname=127.0.0.1&users=admin:s3cret";
    }

    @Test
    @Timeout(120)
    void aReplicaKilledMidReconfigureRestartsWithAWholeTable() throws Exception {
        Path state = directory.resolve("state.json");
        Map<String, String> environment = Map.of("STATE_FILE", state.toString());
        try (TestBackend backend = TestBackend.start("kept")) {
            AtomicInteger acknowledged = new AtomicInteger();
            try (SwarmgateProcess first = SwarmgateProcess.start(environment)) {
                assertThat(get(first.apiPort(), reconfigure("base", backend.port())).statusCode()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(state)
                        && Files.readString(state).contains("\"base\""));

                Thread storm = new Thread(() -> {
                    for (int i = 0; i < 100_000 && !Thread.currentThread().isInterrupted(); i++) {
                        try {
                            if (get(first.apiPort(), reconfigure("s" + i, backend.port())).statusCode() == 200) {
                                acknowledged.incrementAndGet();
                            }
                        } catch (Exception killed) {
                            return;
                        }
                    }
                });
                storm.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.get() >= 300);
                first.process().destroyForcibly(); // SIGKILL: no shutdown hook runs
                assertThat(first.process().waitFor()).isEqualTo(137);
                storm.join();
            }

            try (SwarmgateProcess restarted = SwarmgateProcess.start(environment)) {
                JsonNode services = JSON.readTree(get(restarted.apiPort(), "/v1/docker-flow-proxy/config?type=json")
                        .body());
                List<String> storm = new ArrayList<>();
                services.fieldNames().forEachRemaining(name -> {
                    if (!name.equals("base")) {
                        storm.add(name);
                    }
                });
                assertThat(services.has("base")).isTrue();
                // Whole: the services of the storm are s0 … sK with none missing, as at one moment of it.
                assertThat(storm).containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, storm.size()).mapToObj(i -> "s" + i).toList());
                assertThat(storm.size()).isGreaterThan(0).isLessThanOrEqualTo(acknowledged.get() + 1);

                HttpResponse<String> routed = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + restarted.proxyPort() + "/base")).header("Authorization", "Basic "
                                + Base64.getEncoder().encodeToString("admin:s3cret".getBytes(StandardCharsets.UTF_8))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(routed.statusCode()).isEqualTo(200);
                assertThat(routed.headers().firstValue("X-Backend")).contains("kept");
            }
        }
    }
}
