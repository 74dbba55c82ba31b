package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmgate.testing.TestBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code TRUSTED_PROXIES} as a Swarmgate started from its environment applies it, over HTTP/2 (h2c) too. */
class TrustedProxiesSettingTest {
    private static final HttpClient API = HttpClient.newHttpClient();
    private final TestBackend backend = TestBackend.start("b");
    private SwarmgateServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        backend.close();
    }

    private void start(Map<String, String> environment) throws Exception {
        server = SwarmgateServer.start(ServerSettings.ephemeral(), environment);
        HttpResponse<String> reconfigured = API.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.apiPort() + "/v1/docker-flow-proxy/reconfigure?serviceName=web&servicePath=/&port="
                + backend.port() + "&outboundHostname=127.0.0.1&allowedIps=203.0.113.50")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reconfigured.statusCode()).isEqualTo(200);
    }

    private String curl(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-o", "/dev/null", "-w",
                "%{http_code}"));
        command.addAll(List.of(options));
        command.add("http://127.0.0.1:" + server.proxyPorts().get(0) + "/x");
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes());
        assertThat(curl.waitFor(15, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    @Test
    void fromATrustedPeerTheForwardedClientIsTheOneTheListsSee() throws Exception {
        start(Map.of("TRUSTED_PROXIES", "127.0.0.0/8", "ENABLE_H2C", "true"));

        assertThat(curl("-H", "X-Forwarded-For: 203.0.113.50")).isEqualTo("200");
        assertThat(curl("--http2-prior-knowledge", "-H", "X-Forwarded-For: 203.0.113.50")).isEqualTo("200");
        assertThat(curl("--http2-prior-knowledge")).isEqualTo("403");
    }

    @Test
    void withoutItAForwardedHeaderIsNeverRead() throws Exception {
        start(Map.of());

        assertThat(curl("-H", "X-Forwarded-For: 203.0.113.50")).isEqualTo("403");
    }

    @Test
    void aMalformedListStopsTheStartWithItsName() {
        assertThatThrownBy(() -> start(Map.of("TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal")))
                .hasMessageContaining("TRUSTED_PROXIES: 10.0.0.0/8,proxy.internal (expected: CIDR blocks");
    }
}
