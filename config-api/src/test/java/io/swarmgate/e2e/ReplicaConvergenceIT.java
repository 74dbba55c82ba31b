package io.swarmgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two Swarmgate replicas of one Swarm service converge through {@code distribute=true}, as DFP's replicas do. */
class ReplicaConvergenceIT {
    private static final ObjectMapper JSON = new ObjectMapper();

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
}
