package io.swarmgate.api.acme;

import static io.swarmgate.api.acme.AutomaticHttpsTest.awaitIssued;
import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.api.ServerSettings;
import io.swarmgate.api.SwarmgateServer;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.api.http.ApiAccess;
import io.swarmgate.api.replicas.ReplicaSettings;
import io.swarmgate.discovery.docker.DockerEngine;
import io.swarmgate.proxy.Timeouts;
import io.swarmgate.testing.TestDnsServer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replicas of one proxy service in-process, each on its own loopback address and found through a DNS server
 * answering {@code tasks.proxy}, agreeing through the test bed's real swarm (a Swarm config as the lock) on who
 * orders. Pebble validates at the ports of the first replica only, so any other replica that orders must have handed
 * it the challenge.
 */
class ReplicaOrdersTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final List<String> ADDRESSES = List.of("127.0.0.1", "127.0.0.2", "127.0.0.3");
    private static final String DOCKER_HOST = "unix:///var/run/docker.sock";

    @TempDir
    static Path storage;
    private static TestDnsServer dns;
    private static Pebble pebble;
    private static int httpPort;
    private static int tlsPort;
    private final List<SwarmgateServer> replicas = new ArrayList<>();
    private int apiPort;

    @BeforeAll
    static void start() throws Exception {
        Pebble.assumeInstalled();
        try (DockerEngine engine = DockerEngine.connect(DOCKER_HOST)) {
            assertThat(engine.isSwarmManager()).as("the test bed's swarm (.ci/testbed.sh)").isTrue();
        }
        httpPort = Pebble.freePort();
        tlsPort = Pebble.freePort();
        pebble = Pebble.start(storage.resolve("pebble"), httpPort, tlsPort, 3600, List.of());
        dns = TestDnsServer.start();
        dns.set("tasks.proxy", ADDRESSES.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (pebble != null) {
            pebble.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @AfterEach
    void stopReplicas() {
        replicas.forEach(SwarmgateServer::stop);
    }

    /** Starts the three replicas; those not in {@code ordering} answer challenges but order nothing themselves. */
    private void startReplicas(String test, List<String> ordering) throws Exception {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(ADDRESSES.get(0)))) {
            apiPort = free.getLocalPort();
        }
        for (String address : ADDRESSES) {
            Path files = storage.resolve(test).resolve(address);
            boolean validated = address.equals(ADDRESSES.get(0));
            replicas.add(SwarmgateServer.start(new ServerSettings(address, apiPort,
                    List.of(validated ? httpPort : 0), ",", false, Timeouts.DEFAULTS,
                    ServerSettings.DEFAULT_SHUTDOWN_GRACE)
                    .withApiAccess(ApiAccess.OPEN)
                    .withTls(new TlsSettings(List.of(validated ? tlsPort : 0), files.resolve("certs"),
                            files.resolve("secrets")))
                    .withReplicas(new ReplicaSettings("proxy", dns.address(), List.of(),
                            ReplicaSettings.DEFAULT_RELOAD_INTERVAL)),
                    Map.of("ACME_ENABLED", Boolean.toString(ordering.contains(address)),
                            "ACME_DIRECTORY", pebble.directory().toString(),
                            "ACME_CA_FILE", pebble.caFile().toString(), "ACME_RETRY_INTERVAL", "1000",
                            "DOCKER_HOST", DOCKER_HOST, "STATE_FILE", files.resolve("state.json").toString())));
        }
    }

    private HttpResponse<String> reconfigureEveryReplica(String domain) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://" + ADDRESSES.get(0) + ":" + apiPort
                + AutomaticHttpsTest.reconfigure(domain) + "&distribute=true")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private List<BigInteger> servedSerials(String domain) {
        return replicas.stream().map(replica -> awaitIssued(replica.httpsPorts().get(0), domain,
                Duration.ofSeconds(30)).getSerialNumber()).toList();
    }

    @Test
    void threeReplicasAskingForOneDomainMakeOneOrderAndAllServeItsCertificate() throws Exception {
        startReplicas("three", ADDRESSES);
        String domain = "three-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        long ordersBefore = pebble.orders();

        assertThat(reconfigureEveryReplica(domain).statusCode()).isEqualTo(200);
        List<BigInteger> serials = servedSerials(domain);

        assertThat(serials).hasSize(3).containsOnly(serials.get(0));
        assertThat(pebble.orders() - ordersBefore).as("orders the CA received").isEqualTo(1);
        System.out.printf("ACME figure: orders for one domain with %d replicas: %d%n", replicas.size(),
                pebble.orders() - ordersBefore);
    }

    @Test
    void aReplicaThatDidNotOrderAnswersTheValidationItWasHanded() throws Exception {
        startReplicas("handed", ADDRESSES.subList(1, 3));
        String domain = "handed-" + UUID.randomUUID().toString().substring(0, 8) + ".test";

        assertThat(reconfigureEveryReplica(domain).statusCode()).isEqualTo(200);
        List<BigInteger> serials = servedSerials(domain);

        assertThat(serials).containsOnly(serials.get(0));
        assertThat(AutomaticHttpsTest.api(replicas.get(0), "/metrics").body())
                .doesNotContain("swarmgate_acme_orders_total");
    }
}
