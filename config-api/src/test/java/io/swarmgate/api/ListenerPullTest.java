package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.api.replicas.ReplicaSettings;
import io.swarmgate.config.ServiceSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code LISTENER_ADDRESS}: a new replica pulls every service from a swarm listener's {@code get-services} at start. */
class ListenerPullTest {
    private static final String SERVICES = "[{\"distribute\":\"true\",\"port\":\"8080\",\"replicas\":\"2\","
            + "\"serviceName\":\"go-demo\",\"servicePath\":\"/demo\"},"
            + "{\"port\":\"8080\",\"serviceName\":\"no-path\"}]";

    private ListenerStandIn listener;
    private SwarmgateServer server;

    @BeforeEach
    void startListener() throws IOException {
        listener = new ListenerStandIn();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        listener.close();
    }

    private int successfulInitReload() throws Exception {
        return SwarmgateServerTest.call(server, "GET", "/v1/docker-flow-proxy/successfulinitreload").statusCode();
    }

    @Test
    void retriesUntilTheListenerAnswersThenAppliesItsServices() throws Exception {
        server = SwarmgateServer.start(ServerSettings.ephemeral().withReplicas(new ReplicaSettings("proxy", null,
                List.of(listener.address()), Duration.ofMillis(100))), Map.of());

        await().until(() -> listener.asked() >= 2);
        assertThat(successfulInitReload()).isEqualTo(500);
        assertThat(server.registry().services()).isEmpty();

        listener.answer(SERVICES);

        await().atMost(Duration.ofSeconds(2)).until(() -> successfulInitReload() == 200);
        // The entry the reconfigure API would reject is skipped; the rest is applied, without distribute.
        assertThat(server.registry().services()).singleElement().satisfies(service -> {
            assertThat(service.serviceName()).isEqualTo("go-demo");
            assertThat(service.replicas()).isEqualTo(2);
            assertThat(service.distribute()).isFalse();
        });
        int pulls = listener.asked();
        await().during(Duration.ofMillis(300)).until(() -> listener.asked() == pulls);
    }

    @Test
    void isInitialisedAtOnceWithoutListener() throws Exception {
        server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of());

        assertThat(successfulInitReload()).isEqualTo(200);
        assertThat(server.registry().services()).extracting(ServiceSpec::serviceName).isEmpty();
    }
}
