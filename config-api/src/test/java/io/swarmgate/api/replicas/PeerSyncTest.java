package io.swarmgate.api.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.api.ServerSettings;
import io.swarmgate.api.SwarmgateServer;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.api.http.ApiAccess;
import io.swarmgate.proxy.Timeouts;
import io.swarmgate.testing.TestCertificates;
import io.swarmgate.testing.TestDnsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two whole servers in-process as two replicas of one Swarm service (each on its own loopback address, found through a
 * real DNS server): a replica that starts late serves, before its API answers, the routes and certificates the other
 * received through the API — passwords included, which its endpoint hands out only with the API's credentials.
 */
class PeerSyncTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String FIRST = "127.0.0.1";
    private static final String SECOND = "127.0.0.2";
    private static final ApiAccess PROTECTED = new ApiAccess("s3cret-token", Map.of());

    @TempDir
    Path storage;
    private TestDnsServer dns;
    private int apiPort;

    @BeforeEach
    void startDns() throws IOException {
        dns = TestDnsServer.start();
        dns.set("tasks.proxy", FIRST, SECOND);
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(FIRST))) {
            apiPort = free.getLocalPort();
        }
    }

    @AfterEach
    void stopDns() {
        dns.close();
    }

    private SwarmgateServer replica(String address, ApiAccess access) {
        Path files = storage.resolve(address);
        return SwarmgateServer.start(new ServerSettings(address, apiPort, List.of(0), ",", false, Timeouts.DEFAULTS,
                ServerSettings.DEFAULT_SHUTDOWN_GRACE).withApiAccess(access)
                .withTls(new TlsSettings(List.of(), files.resolve("certs"), files.resolve("secrets")))
                .withReplicas(new ReplicaSettings("proxy", dns.address(), List.of(),
                        ReplicaSettings.DEFAULT_RELOAD_INTERVAL)), Map.of());
    }

    private HttpResponse<String> call(String address, String method, String pathAndQuery, String body,
                                      String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address + ":" + apiPort
                + pathAndQuery)).method(method, HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aLateReplicaStartsWithTheRoutesAndCertificatesOfTheOther() throws Exception {
        String bearer = "Bearer s3cret-token";
        try (SwarmgateServer first = replica(FIRST, PROTECTED)) {
            assertThat(call(FIRST, "GET", "/v1/docker-flow-proxy/reconfigure?serviceName=shop&servicePath=/shop"
                    + "&port=8080&users=admin:pw", "", bearer).statusCode()).isEqualTo(200);
            assertThat(call(FIRST, "PUT", "/v1/docker-flow-proxy/cert?certName=shop.pem",
                    TestCertificates.pem("shop.test"), bearer).statusCode()).isEqualTo(200);
            assertThat(call(FIRST, "GET", PeerSync.PATH, "", null).statusCode()).isEqualTo(401);

            try (SwarmgateServer second = replica(SECOND, PROTECTED)) {
                assertThat(second.registry().services()).isEqualTo(first.registry().services());
                assertThat(second.registry().services().get(0).users())
                        .extracting(u -> u.password()).containsExactly("pw");
                assertThat(call(SECOND, "GET", "/v1/docker-flow-proxy/certs", "", bearer).body())
                        .contains("\"ProxyServiceName\":\"shop.pem\"");
                assertThat(call(SECOND, "GET", "/v1/docker-flow-proxy/config/version", "", bearer).body())
                        .isEqualTo(call(FIRST, "GET", "/v1/docker-flow-proxy/config/version", "", bearer).body());
            }
        }
    }

    @Test
    void anOpenApiSharesNoSecretsAndALateReplicaStartsEmpty() throws Exception {
        try (SwarmgateServer first = replica(FIRST, ApiAccess.OPEN)) {
            assertThat(call(FIRST, "GET", "/v1/docker-flow-proxy/reconfigure?serviceName=shop&servicePath=/shop"
                    + "&port=8080&users=admin:pw", "", null).statusCode()).isEqualTo(200);

            HttpResponse<String> refused = call(FIRST, "GET", PeerSync.PATH, "", null);

            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("CONFIG_API_TOKEN").doesNotContain("pw");
            try (SwarmgateServer second = replica(SECOND, ApiAccess.OPEN)) {
                assertThat(second.registry().services()).isEmpty();
            }
        }
    }
}
