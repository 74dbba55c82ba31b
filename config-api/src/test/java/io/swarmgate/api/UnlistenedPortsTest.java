package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.swarmgate.testing.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service routed on a srcPort the proxy does not listen on is not left to seem routed. */
class UnlistenedPortsTest {
    @Test
    void warnsOnceOfAnHttpSrcPortNoListenerHas() throws Exception {
        try (LogCapture lines = LogCapture.of(UnlistenedPorts.class);
             SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of())) {
            int listened = server.proxyPorts().get(0);

            reconfigure(server, "serviceName=lost&servicePath=/lost&port=9000&srcPort=1");
            reconfigure(server, "serviceName=lost&servicePath=/lost&port=9001&srcPort=1");
            reconfigure(server, "serviceName=found&servicePath=/found&port=9000&srcPort=" + listened);

            assertThat(lines.messages(Level.WARN)).containsExactly("Service lost routes requests on srcPort 1, where "
                    + "the proxy does not listen (it listens on [" + listened + "]): none reaches it. Add the port "
                    + "to BIND_PORTS, or remove srcPort");
        }
    }

    private static void reconfigure(SwarmgateServer server, String query) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.apiPort() + "/v1/docker-flow-proxy/reconfigure?" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
    }
}
