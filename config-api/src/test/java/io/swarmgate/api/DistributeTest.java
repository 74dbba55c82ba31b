package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.api.http.ApiAccess;
import io.swarmgate.api.replicas.ReplicaSettings;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.proxy.Timeouts;
import io.swarmgate.testing.TestCertificates;
import io.swarmgate.testing.TestDnsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code distribute=true} between two whole servers in-process, as two replicas of one Swarm service: each on its own
 * loopback address and the same API port, found through a real DNS server that answers {@code tasks.proxy}.
 */
class DistributeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String FIRST = "127.0.0.1";
    private static final String SECOND = "127.0.0.2";
    private static final String RECONFIGURE = "/v1/docker-flow-proxy/reconfigure?serviceName=go-demo&servicePath=/demo"
            + "&port=8080&distribute=true";

    @TempDir
    static Path storage;
    private static TestDnsServer dns;
    private static int apiPort;
    private static SwarmgateServer first;
    private static SwarmgateServer second;

    @BeforeAll
    static void startTwoReplicas() throws IOException {
        dns = TestDnsServer.start();
        apiPort = freePort();
        first = replica(FIRST, "proxy");
        second = replica(SECOND, "proxy");
    }

    private static SwarmgateServer replica(String address, String serviceName) {
        return replica(address, apiPort, serviceName, ApiAccess.OPEN);
    }

    private static SwarmgateServer replica(String address, int port, String serviceName, ApiAccess access) {
        Path files = storage.resolve(address + "-" + port);
        return SwarmgateServer.start(new ServerSettings(address, port, List.of(0), ",", false, Timeouts.DEFAULTS,
                ServerSettings.DEFAULT_SHUTDOWN_GRACE).withApiAccess(access)
                .withTls(new TlsSettings(List.of(), files.resolve("certs"), files.resolve("secrets")))
                .withReplicas(new ReplicaSettings(serviceName, dns.address(), List.of(),
                        ReplicaSettings.DEFAULT_RELOAD_INTERVAL)), Map.of());
    }

    /** A port free now on the first address; the second, being empty, has it free too. */
    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(FIRST))) {
            return free.getLocalPort();
        }
    }

    @AfterAll
    static void stop() {
        first.stop();
        second.stop();
        dns.close();
    }

    @AfterEach
    void removeEveryService() {
        dns.set("tasks.proxy", FIRST, SECOND);
        for (SwarmgateServer server : List.of(first, second)) {
            server.registry().services().forEach(s -> server.registry().remove(s.serviceName()));
        }
    }

    private static HttpResponse<String> call(String address, String pathAndQuery)
            throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://" + address + ":" + apiPort + pathAndQuery))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String version(String address) throws Exception {
        return JSON.readTree(call(address, "/v1/docker-flow-proxy/config/version").body()).get("Version").asText();
    }

    private static List<String> services(SwarmgateServer server) {
        return server.registry().services().stream().map(ServiceSpec::serviceName).toList();
    }

    @Test
    void reconfiguresAndRemovesOnEveryReplicaWhichThenShowTheSameVersion() throws Exception {
        dns.set("tasks.proxy", FIRST, SECOND);
        String empty = version(FIRST);

        HttpResponse<String> answer = call(FIRST, RECONFIGURE);

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("Status").asText()).isEqualTo("OK");
        assertThat(body.get("Message").asText()).isEqualTo("Distributed to all instances");
        assertThat(body.get("ServiceName").asText()).isEqualTo("go-demo");
        assertThat(services(first)).containsExactly("go-demo");
        assertThat(services(second)).containsExactly("go-demo");
        assertThat(first.registry().services().get(0).distribute()).isFalse();
        assertThat(version(FIRST)).isEqualTo(version(SECOND)).isNotEqualTo(empty);

        HttpResponse<String> removed = call(SECOND,
                "/v1/docker-flow-proxy/remove?serviceName=go-demo&Distribute=true");

        assertThat(removed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(removed.body()).get("Message").asText()).isEqualTo("Distributed to all instances");
        assertThat(services(first)).isEmpty();
        assertThat(services(second)).isEmpty();
        assertThat(version(FIRST)).isEqualTo(version(SECOND)).isEqualTo(empty);
    }

    @Test
    void aCertificatePutWithDistributeIsServedByEveryReplica() throws Exception {
        dns.set("tasks.proxy", FIRST, SECOND);
        HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(URI.create("http://" + FIRST + ":" + apiPort
                        + "/v1/docker-flow-proxy/cert?certName=shop.pem&distribute=true"))
                .PUT(HttpRequest.BodyPublishers.ofString(TestCertificates.pem("shop.test"))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        for (String replica : List.of(FIRST, SECOND)) {
            assertThat(certificateNames(replica)).contains("shop.pem");
        }
        HttpResponse<String> refused = CLIENT.send(HttpRequest.newBuilder(URI.create("http://" + FIRST + ":" + apiPort
                        + "/v1/docker-flow-proxy/cert?certName=bad.pem&distribute=true"))
                .PUT(HttpRequest.BodyPublishers.ofString(TestCertificates.mismatched("bad.test"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(certificateNames(SECOND)).doesNotContain("bad.pem");
    }

    private static List<String> certificateNames(String address) throws Exception {
        List<String> names = new ArrayList<>();
        JSON.readTree(call(address, "/v1/docker-flow-proxy/certs").body()).get("Certs")
                .forEach(c -> names.add(c.get("ProxyServiceName").asText()));
        return names;
    }

    @Test
    void passesTheCallersCredentialsOnToAProtectedApi() throws Exception {
        dns.set("tasks.secured", FIRST, SECOND);
        ApiAccess access = new ApiAccess("s3cret", Map.of());
        int port = freePort();
        try (SwarmgateServer one = replica(FIRST, port, "secured", access);
             SwarmgateServer other = replica(SECOND, port, "secured", access)) {
            HttpResponse<String> answer = CLIENT.send(HttpRequest.newBuilder(
                    URI.create("http://" + FIRST + ":" + port + RECONFIGURE))
                    .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(services(one)).containsExactly("go-demo");
            assertThat(services(other)).containsExactly("go-demo");
        }
    }

    @Test
    void answersAsDfpWhenTheProxyServiceDoesNotResolve() throws Exception {
        dns.set("tasks.proxy");

        HttpResponse<String> answer = call(FIRST, RECONFIGURE);

        assertThat(answer.statusCode()).isEqualTo(500);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("Status").asText()).isEqualTo("NOK");
        assertThat(body.get("Message").asText()).isEqualTo("Could not perform DNS lookup for tasks.proxy. If the "
                + "proxy is not called 'proxy', you must set SERVICE_NAME=<name-of-the-proxy> on the proxy service.");
        assertThat(services(first)).isEmpty();
    }

    @Test
    void namesTheReplicasThatCouldNotBeReached() throws Exception {
        dns.set("tasks.proxy", FIRST, SECOND, "127.0.0.3");

        HttpResponse<String> answer = call(SECOND, RECONFIGURE);

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(answer.body()).get("Message").asText())
                .isEqualTo("Could not send distribute request to the following addresses: [127.0.0.3]");
        // As in DFP, the replicas that answered keep the change; the caller's retry makes it whole.
        assertThat(services(first)).containsExactly("go-demo");
        assertThat(services(second)).containsExactly("go-demo");
    }

    @Test
    void dfpMetricsWithDistributeConcatenateEveryReplicasStatistics() throws Exception {
        dns.set("tasks.proxy", FIRST, SECOND);
        call(FIRST, "/v1/docker-flow-proxy/reconfigure?serviceName=one&servicePath=/one&port=8080");
        call(SECOND, "/v1/docker-flow-proxy/reconfigure?serviceName=two&servicePath=/two&port=8080");

        HttpResponse<String> both = call(FIRST, "/v1/docker-flow-proxy/metrics?distribute=true");

        assertThat(both.statusCode()).isEqualTo(200);
        List<String> lines = both.body().lines().toList();
        assertThat(lines).filteredOn(line -> line.startsWith("# pxname,svname,")).hasSize(2);
        assertThat(lines).filteredOn(line -> line.startsWith("services,FRONTEND,")).hasSize(2);
        assertThat(lines).filteredOn(line -> line.startsWith("one,BACKEND,")).hasSize(1);
        assertThat(lines).filteredOn(line -> line.startsWith("two,BACKEND,")).hasSize(1);
        assertThat(call(SECOND, "/v1/docker-flow-proxy/metrics").body()).doesNotContain("one,BACKEND");

        dns.set("tasks.proxy", FIRST, SECOND, "127.0.0.3");
        HttpResponse<String> missing = call(FIRST, "/v1/docker-flow-proxy/metrics?distribute=true");
        assertThat(missing.statusCode()).isEqualTo(500);
        assertThat(missing.body()).isEmpty();
    }

    @Test
    void rejectsAnInvalidRequestBeforeAskingForTheReplicas() throws Exception {
        int queries = dns.queries();

        HttpResponse<String> answer = call(FIRST,
                "/v1/docker-flow-proxy/reconfigure?serviceName=go-demo&port=8080&distribute=true");

        assertThat(answer.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(answer.body()).get("Message").asText())
                .isEqualTo("When using reqMode http, servicePath or serviceDomain are mandatory");
        assertThat(call(FIRST, "/v1/docker-flow-proxy/remove?distribute=true").statusCode()).isEqualTo(400);
        assertThat(dns.queries()).isEqualTo(queries);
    }
}
