package io.swarmgate.api;

import static io.swarmgate.discovery.testing.TestSwarm.labels;
import static io.swarmgate.discovery.testing.TestSwarm.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.discovery.DiscoverySettings;
import io.swarmgate.discovery.testing.TestSwarm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole server with discovery on, against the test bed's real swarm. */
class SwarmDiscoveryServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestSwarm swarm = new TestSwarm();

    private final List<SwarmgateServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(SwarmgateServer::stop);
    }

    private SwarmgateServer start(DiscoverySettings discovery) {
        SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral().withDiscovery(discovery), Map.of());
        servers.add(server);
        return server;
    }

    private static JsonNode storedServices(SwarmgateServer server) throws Exception {
        return JSON.readTree(SwarmgateServerTest.call(server, "GET", "/v1/docker-flow-proxy/config?type=json").body());
    }

    @Test
    void servesLabelRoutesAndApiRoutesSideBySide() throws Exception {
        SwarmgateServer server = start(DiscoverySettings.defaults(TestSwarm.dockerHost()));
        String name = uniqueName("api-side");

        swarm.create(name, labels("servicePath", "/" + name, "port", "8080"));
        SwarmgateServerTest.call(server, "GET",
                "/v1/docker-flow-proxy/reconfigure?serviceName=from-api&servicePath=/api&port=9000");

        assertThat(server.discovers()).isTrue();
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonNode services = storedServices(server);
            assertThat(services.get(name).get("ServiceDest").get(0).get("ServicePath").get(0).asText())
                    .isEqualTo("/" + name);
            assertThat(services.get(name).get("Replicas").asInt()).isEqualTo(1);
            assertThat(services.has("from-api")).isTrue();
        });
    }

    @Test
    void listsAQuarantinedServiceWithItsReasonAndCountsDiscoveryChanges() throws Exception {
        SwarmgateServer server = start(DiscoverySettings.defaults(TestSwarm.dockerHost()));
        String bad = uniqueName("bad");
        String good = uniqueName("good");

        swarm.create(bad, labels("servicePath", "no-slash", "port", "8080"));
        swarm.create(good, labels("servicePath", "/" + good, "port", "8080"));

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            JsonNode services = storedServices(server);
            assertThat(services.has(good)).isTrue();
            assertThat(services.get("_quarantined").get(bad).asText()).contains("servicePath");
        });
        String metrics = SwarmgateServerTest.call(server, "GET", "/metrics").body();
        assertThat(metrics)
                .containsPattern("swarmgate_config_changes_total\\{result=\"applied\",source=\"discovery\"} [1-9]")
                .containsPattern("swarmgate_config_changes_total\\{result=\"rejected\",source=\"discovery\"} [1-9]")
                .containsPattern("swarmgate_discovery_docker_requests_total [1-9]");
    }

    @Test
    void discoversNothingWhenTurnedOff() {
        String name = uniqueName("off");
        swarm.create(name, labels("servicePath", "/" + name, "port", "8080"));

        SwarmgateServer server = start(null);

        assertThat(server.discovers()).isFalse();
        assertThat(server.registry().services()).isEmpty();
    }

    @Test
    void twoInstancesDiscoveringOneSwarmServeTheSameTable() throws Exception {
        DiscoverySettings discovery = DiscoverySettings.defaults(TestSwarm.dockerHost());
        SwarmgateServer first = start(discovery);
        SwarmgateServer second = start(discovery);
        String web = uniqueName("web");
        String api = uniqueName("api");

        swarm.create(web, labels("serviceDomain", web + ".example.com", "port", "8080"));
        String apiId = swarm.create(api, labels("servicePath.1", "/" + api, "port.1", "8080",
                "servicePath.2", "/" + api + "-v2", "port.2", "8081"));
        swarm.relabel(apiId, labels("servicePath", "/" + api + "-v3", "port", "8082"));

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(first.registry().services()).extracting(ServiceSpec::serviceName).contains(web, api);
            assertThat(first.registry().services()).isEqualTo(second.registry().services());
            assertThat(first.registry().routes().describe()).isEqualTo(second.registry().routes().describe());
        });
        assertThat(first.registry().routes().find("localhost", "/" + api + "-v3", 80).serviceName())
                .isEqualTo(api);
    }
}
