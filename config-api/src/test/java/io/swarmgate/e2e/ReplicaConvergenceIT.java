package io.swarmgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Swarmgate replicas of one Swarm service converge: through {@code distribute=true}, as DFP's replicas do, and a
 * replacement replica copies the others' table before it answers.
 */
class ReplicaConvergenceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "e2e-token";

    @RegisterExtension
    static final EndToEndSwarm swarm = new EndToEndSwarm();

    private static String version(String container) throws Exception {
        return JSON.readTree(EndToEndSwarm.api(container, "/v1/docker-flow-proxy/config/version"))
                .get("Version").asText();
    }

    @Test
    void aReconfigureDistributedThroughOneReplicaReachesBothAndTheirVersionsAgree() throws Exception {
        List<String> replicas = swarm.createProxyReplicas(2);
        String before = version(replicas.get(0));

        String answer = EndToEndSwarm.api(replicas.get(0), "/v1/docker-flow-proxy/reconfigure?serviceName=go-demo"
                + "&servicePath=/demo&port=8080&distribute=true");

        assertThat(JSON.readTree(answer).get("Message").asText()).isEqualTo("Distributed to all instances");
        assertThat(version(replicas.get(0))).isNotEqualTo(before).isEqualTo(version(replicas.get(1)));
    }

    @Test
    void aReplicaThatReplacesAKilledOneServesTheApiRoutesBeforeItAnswers() throws Exception {
        List<String> replicas = swarm.createProxyReplicas(2, "CONFIG_API_TOKEN=" + TOKEN);
        String survivor = replicas.get(0);
        EndToEndSwarm.api(survivor, "/v1/docker-flow-proxy/reconfigure?serviceName=api-only&servicePath=/only"
                + "&port=8080&users=admin:pw&distribute=true", TOKEN);
        String expected = version(survivor, TOKEN);

        DockerCli.run("kill", replicas.get(1)); // Swarm replaces the task with a new, empty container
        String service = EndToEndSwarm.serviceOf(survivor);
        String replacement = await().atMost(Duration.ofSeconds(60)).until(() -> DockerCli.containersOf(service)
                .stream().filter(c -> !replicas.contains(c)).findFirst().orElse(null), Objects::nonNull);
        // The first answer its API gives already has the table: it copies it from its peer before it opens.
        String first = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> version(replacement, TOKEN), Objects::nonNull);

        assertThat(first).isEqualTo(expected);
    }

    private static String version(String container, String token) throws Exception {
        return JSON.readTree(EndToEndSwarm.api(container, "/v1/docker-flow-proxy/config/version", token))
                .get("Version").asText();
    }
}
