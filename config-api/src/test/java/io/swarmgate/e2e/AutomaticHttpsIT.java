package io.swarmgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.discovery.testing.TestSwarm;
import io.swarmgate.testing.TlsTestClient;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic HTTPS in the swarm, as issue #21 describes it: Swarmgate as a 2-replica service with the Docker socket,
 * a service labelled {@code com.df.letsencrypt.host}, and Pebble on the {@code proxy} network, whose DNS answers the
 * domain with both replicas' task addresses: whichever replica orders, the CA may validate at the other one. Each
 * replica publishes its TLS port in host mode on a port of its own, where the host checks what it serves.
 */
class AutomaticHttpsIT {
    /**
     * The image's health check gives a replica 30 s to start, which a replica took on the shared test machine at
     * load 20: Swarm would kill it and start another, and the test would measure that instead.
     */
    private static final List<String> PATIENT_HEALTH_CHECK = List.of("--health-start-period", "180s",
            "--health-timeout", "10s", "--health-retries", "5");

    @RegisterExtension
    static final EndToEndSwarm swarm = new EndToEndSwarm();

    @TempDir
    Path files;

    @Test
    void aLabelledServiceGetsACertificateOrderedOnceThatBothReplicasServe() throws Exception {
        PebbleService pebble = PebbleService.start(files);
        List<String> options = new ArrayList<>(PATIENT_HEALTH_CHECK);
        options.addAll(List.of("--user", "root", // as stack.yml, for the Docker socket (root:docker, 0660)
                "--mount", "type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock",
                "--mount", "type=bind,source=" + files.toAbsolutePath() + ",target=" + PebbleService.MOUNTED
                        + ",readonly",
                "--publish", "mode=host,target=443")); // no published port: Docker picks one per task
        List<String> replicas = swarm.createProxyReplicas(2, options, "ACME_ENABLED=true",
                "ACME_EMAIL=ops@swarmgate.test", "ACME_DIRECTORY=" + pebble.directory(),
                "ACME_CA_FILE=" + PebbleService.caFile(), "ACME_RETRY_INTERVAL=2000");
        String domain = TestSwarm.uniqueName("e2e") + ".test";
        System.out.println("Pebble resolves " + domain + " to " + pebble.resolveToTasksOf(domain,
                EndToEndSwarm.serviceOf(replicas.get(0)), 2));
        long ordersBefore = pebble.orders();

        WebService web = new WebService(TestSwarm.uniqueName("e2e-web"));
        List<String> labelled = new ArrayList<>(List.of("--label", "com.df.serviceDomain=" + domain,
                "--label", "com.df.letsencrypt.host=" + domain));
        labelled.addAll(web.createArguments(1));
        long labelledAt = System.nanoTime();
        EndToEndSwarm.create(labelled);
        List<BigInteger> serials = new ArrayList<>();
        try {
            for (String replica : replicas) {
                serials.add(awaitPebbleCertificate(tlsPort(replica), domain).getSerialNumber());
            }
        } catch (RuntimeException e) {
            System.out.println("The replicas' last log lines:\n" + DockerCli.run("service", "logs", "--tail", "40",
                    EndToEndSwarm.serviceOf(replicas.get(0))) + "\nPebble's:\n" + pebble.log());
            throw e;
        }
        long served = (System.nanoTime() - labelledAt) / 1_000_000;

        assertThat(serials).hasSize(2).containsOnly(serials.get(0));
        assertThat(pebble.orders() - ordersBefore).as("orders the CA received").isEqualTo(1);
        System.out.printf("ACME figure (swarm): label to certificate served by both replicas: %d ms, %d order(s)%n",
                served, pebble.orders() - ordersBefore);
    }

    /** The port the host reaches the replica's TLS port 443 at, published in host mode. */
    private static int tlsPort(String container) {
        String binding = DockerCli.lines("port", container, "443/tcp").get(0); // e.g. 0.0.0.0:32771
        return Integer.parseInt(binding.substring(binding.lastIndexOf(':') + 1));
    }

    /** The certificate a handshake naming {@code domain} gets, once it is one Pebble issued. */
    private static X509Certificate awaitPebbleCertificate(int port, String domain) {
        return await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> {
                    try (TlsTestClient client = TlsTestClient.open(port, domain)) {
                        return client.leaf();
                    }
                }, leaf -> leaf.getIssuerX500Principal().getName().contains("Pebble"));
    }
}
