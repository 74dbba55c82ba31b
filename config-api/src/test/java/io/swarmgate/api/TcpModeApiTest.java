package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.testing.TcpEchoServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code reqMode=tcp} through the reconfigure API: the call opens the port, {@code remove} closes it. */
class TcpModeApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TcpEchoServer redis = TcpEchoServer.start();
    private final SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral(), Map.of());
    private final int srcPort = TcpEchoServer.freePort();

    @AfterEach
    void stop() {
        server.stop();
        redis.close();
    }

    private HttpResponse<String> api(String pathAndQuery) throws IOException, InterruptedException {
        return SwarmgateServerTest.call(server, "GET", pathAndQuery);
    }

    private String echoThroughTheProxy(String text) throws IOException {
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", srcPort), 2000);
            client.setSoTimeout(10_000);
            client.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            return new String(client.getInputStream().readNBytes(text.length()), StandardCharsets.US_ASCII);
        }
    }

    @Test
    void aReconfigureOpensTheSourcePortAndRemoveClosesIt() throws Exception {
        HttpResponse<String> answer = api("/v1/docker-flow-proxy/reconfigure?serviceName=redis&reqMode=tcp&srcPort="
                + srcPort + "&port=" + redis.port() + "&outboundHostname=127.0.0.1");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(echoThroughTheProxy("PING\r\n")).isEqualTo("PING\r\n");
        JsonNode stored = JSON.readTree(api("/v1/docker-flow-proxy/config?type=json").body())
                .get("redis").get("ServiceDest").get(0);
        assertThat(stored.get("ReqMode").asText()).isEqualTo("tcp");
        assertThat(stored.get("SrcPort").asInt()).isEqualTo(srcPort);
        assertThat(api("/v1/docker-flow-proxy/config").body())
                .contains("# TCP routes: 1", ":" + srcPort, "redis", "127.0.0.1:" + redis.port());

        assertThat(api("/v1/docker-flow-proxy/remove?serviceName=redis").statusCode()).isEqualTo(200);

        assertThatThrownBy(() -> echoThroughTheProxy("PING\r\n")).isInstanceOf(ConnectException.class);
        assertThat(api("/v1/docker-flow-proxy/config").body()).doesNotContain("TCP routes");
    }

    @Test
    void aSourcePortInUseIsRefusedWithA409NamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            HttpResponse<String> answer = api("/v1/docker-flow-proxy/reconfigure?serviceName=redis&reqMode=tcp"
                    + "&srcPort=" + taken.getLocalPort() + "&port=" + redis.port() + "&outboundHostname=127.0.0.1");

            assertThat(answer.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(answer.body()).get("Message").asText())
                    .startsWith("srcPort: " + taken.getLocalPort() + " cannot be listened on (");
            assertThat(server.registry().services()).isEmpty();
        }
    }

    @Test
    void theProxysOwnHttpPortCannotBeATcpSourcePort() throws Exception {
        int httpPort = server.proxyPorts().get(0);

        HttpResponse<String> answer = api("/v1/docker-flow-proxy/reconfigure?serviceName=redis&reqMode=tcp&srcPort="
                + httpPort + "&port=" + redis.port() + "&outboundHostname=127.0.0.1");

        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(answer.body()).get("Message").asText()).startsWith("srcPort: " + httpPort);
    }
}
