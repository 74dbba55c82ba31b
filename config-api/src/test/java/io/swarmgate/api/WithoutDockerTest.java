package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.config.ServiceSpec;
import io.swarmgate.discovery.DiscoverySettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Discovery asked for where no Docker engine answers: the server starts and serves API routes alone. */
class WithoutDockerTest {
    @Test
    void runsOnApiRoutesAlone() throws Exception {
        ServerSettings settings = ServerSettings.ephemeral()
                .withDiscovery(DiscoverySettings.defaults("unix:///nonexistent/docker.sock"));

        try (SwarmgateServer server = SwarmgateServer.start(settings, Map.of())) {
            assertThat(SwarmgateServerTest.call(server, "GET",
                    "/v1/docker-flow-proxy/reconfigure?serviceName=alone&servicePath=/alone&port=9000").statusCode())
                    .isEqualTo(200);
            assertThat(server.discovers()).isFalse();
            assertThat(server.registry().services()).extracting(ServiceSpec::serviceName).containsExactly("alone");
        }
    }
}
