package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.swarmgate.api.replicas.ReplicaSettings;
import io.swarmgate.config.ServiceSpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code LISTENER_ADDRESS}: a new replica pulls every service from a swarm listener's {@code get-services} at start. */
class ListenerPullTest {
    private static final String SERVICES = "[{\"distribute\":\"true\",\"port\":\"8080\",\"replicas\":\"2\","
            + "\"serviceName\":\"go-demo\",\"servicePath\":\"/demo\"},"
            + "{\"port\":\"8080\",\"serviceName\":\"no-path\"}]";

    /** A stand-in for Docker Flow Swarm Listener's API: 503 until the test lets it answer. */
    private HttpServer listener;
    private final AtomicBoolean answering = new AtomicBoolean();
    private final AtomicInteger asked = new AtomicInteger();
    private SwarmgateServer server;

    @BeforeEach
    void startListener() throws IOException {
        listener = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/v1/docker-flow-swarm-listener/get-services", exchange -> {
            asked.incrementAndGet();
            byte[] body = SERVICES.getBytes(StandardCharsets.UTF_8);
            if (answering.get()) {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } else {
                exchange.sendResponseHeaders(503, -1);
            }
            exchange.close();
        });
        listener.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        listener.stop(0);
    }

    private int successfulInitReload() throws Exception {
        return SwarmgateServerTest.call(server, "GET", "/v1/docker-flow-proxy/successfulinitreload").statusCode();
    }

    @Test
    void retriesUntilTheListenerAnswersThenAppliesItsServices() throws Exception {
        server = SwarmgateServer.start(ServerSettings.ephemeral().withReplicas(new ReplicaSettings("proxy", null,
                List.of("127.0.0.1:" + listener.getAddress().getPort()), Duration.ofMillis(100))), Map.of());

        await().until(() -> asked.get() >= 2);
        assertThat(successfulInitReload()).isEqualTo(500);
        assertThat(server.registry().services()).isEmpty();

        answering.set(true);

        await().atMost(Duration.ofSeconds(2)).until(() -> successfulInitReload() == 200);
        // The entry the reconfigure API would reject is skipped; the rest is applied, without distribute.
        assertThat(server.registry().services()).singleElement().satisfies(service -> {
            assertThat(service.serviceName()).isEqualTo("go-demo");
            assertThat(service.replicas()).isEqualTo(2);
            assertThat(service.distribute()).isFalse();
        });
        int pulls = asked.get();
        await().during(Duration.ofMillis(300)).until(() -> asked.get() == pulls);
    }

    @Test
    void isInitialisedAtOnceWithoutListener() throws Exception {
        server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of());

        assertThat(successfulInitReload()).isEqualTo(200);
        assertThat(server.registry().services()).extracting(ServiceSpec::serviceName).isEmpty();
    }
}
