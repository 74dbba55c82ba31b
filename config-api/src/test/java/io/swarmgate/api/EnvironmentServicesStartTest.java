package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.config.InvalidServiceException;
import io.swarmgate.testing.TestBackend;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code DFP_SERVICE_*} services are routed from the start, without any call to the API. */
class EnvironmentServicesStartTest {
    @Test
    void appliesEnvironmentServicesAtStart() throws Exception {
        try (TestBackend backend = TestBackend.start("from-env");
             SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of(
                     "DFP_SERVICE_SERVICE_NAME", "legacy",
                     "DFP_SERVICE_SERVICE_PATH", "/legacy",
                     "DFP_SERVICE_PORT", Integer.toString(backend.port()),
                     "DFP_SERVICE_OUTBOUND_HOSTNAME", "127.0.0.1"))) {

            assertThat(SwarmgateServerTest.proxied(server, "localhost", "/legacy/x").header("X-Backend"))
                    .isEqualTo("from-env");
            JsonNode services = new ObjectMapper().readTree(
                    SwarmgateServerTest.call(server, "GET", "/v1/docker-flow-proxy/config?type=json").body());
            assertThat(services.get("legacy").get("Replicas").asInt()).isEqualTo(-1);
        }
    }

    @Test
    void refusesToStartWithAnInvalidEnvironmentService() {
        Map<String, String> environment = Map.of("DFP_SERVICE_SERVICE_NAME", "broken",
                "DFP_SERVICE_SERVICE_PATH", "/b", "DFP_SERVICE_PORT", "http");

        assertThatThrownBy(() -> SwarmgateServer.start(ServerSettings.ephemeral(), environment))
                .isInstanceOf(InvalidServiceException.class)
                .hasMessage("DFP_SERVICE_*: port: 'http' (expected: 1-65535)");
    }
}
