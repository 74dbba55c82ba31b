package io.swarmgate.api.acme;

import static io.swarmgate.api.acme.AutomaticHttpsTest.api;
import static io.swarmgate.api.acme.AutomaticHttpsTest.awaitIssued;
import static io.swarmgate.api.acme.AutomaticHttpsTest.reconfigure;
import static io.swarmgate.api.acme.AutomaticHttpsTest.served;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.api.ServerSettings;
import io.swarmgate.api.SwarmgateServer;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.proxy.Timeouts;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewal of short-lived certificates (Pebble issuing them for {@value #VALIDITY_SECONDS} s, renewed at two thirds
 * of that): replaced without a failed handshake, and kept while the CA is down.
 */
class RenewalTest {
    private static final long VALIDITY_SECONDS = 30;

    @TempDir
    Path storage;
    private Pebble pebble;
    private SwarmgateServer server;
    private int tlsPort;

    @BeforeEach
    void start() throws Exception {
        Pebble.assumeInstalled();
        int httpPort = Pebble.freePort();
        tlsPort = Pebble.freePort();
        pebble = Pebble.start(storage.resolve("pebble"), httpPort, tlsPort, VALIDITY_SECONDS, List.of());
        server = SwarmgateServer.start(new ServerSettings("127.0.0.1", 0, List.of(httpPort), ",", false,
                Timeouts.DEFAULTS, ServerSettings.DEFAULT_SHUTDOWN_GRACE)
                .withTls(new TlsSettings(List.of(tlsPort), storage.resolve("certs"), storage.resolve("secrets"))),
                Map.of("ACME_ENABLED", "true", "ACME_DIRECTORY", pebble.directory().toString(),
                        "ACME_CA_FILE", pebble.caFile().toString(), "ACME_RETRY_INTERVAL", "1000",
                        "DOCKER_HOST", "unix://" + storage.resolve("no-docker.sock")));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    void aCertificateIsRenewedAtTwoThirdsOfItsLifeWithoutAFailedHandshake() throws Exception {
        api(server, reconfigure("renew.test"));
        X509Certificate first = awaitIssued(tlsPort, "renew.test", Duration.ofSeconds(10));
        AtomicInteger handshakes = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<BigInteger> latest = new AtomicReference<>(first.getSerialNumber());
        Instant deadline = Instant.now().plusSeconds(2 * VALIDITY_SECONDS);
        Thread clients = new Thread(() -> {
            // Bounded: until the certificate changed and a few more handshakes saw the new one, or the deadline.
            int afterRenewal = 0;
            while (afterRenewal < 50 && Instant.now().isBefore(deadline)) {
                try {
                    BigInteger serial = served(tlsPort, "renew.test").getSerialNumber();
                    latest.set(serial);
                    if (!serial.equals(first.getSerialNumber())) {
                        afterRenewal++;
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                }
                handshakes.incrementAndGet();
            }
        }, "handshake-loop");
        clients.start();

        await().atMost(Duration.ofSeconds(2 * VALIDITY_SECONDS)).until(() -> !clients.isAlive());

        System.out.printf("ACME figure: renewal under a handshake loop: %d handshakes, %d failed%n",
                handshakes.get(), failed.get());
        assertThat(latest.get()).as("the serial served last").isNotEqualTo(first.getSerialNumber());
        assertThat(failed.get()).as("failed handshakes").isZero();
        X509Certificate renewed = served(tlsPort, "renew.test");
        Instant renewedAt = renewed.getNotBefore().toInstant();
        Instant twoThirds = first.getNotBefore().toInstant().plusSeconds(VALIDITY_SECONDS * 2 / 3);
        assertThat(renewedAt).as("renewed near two thirds of the first one's life, not at once")
                .isAfter(twoThirds.minusSeconds(VALIDITY_SECONDS / 20 + 2));
    }

    @Test
    void whileTheCaIsDownTheCertificateServedStaysAndRenewalIsRetriedWithBackOff() throws Exception {
        api(server, reconfigure("outage.test"));
        X509Certificate issued = awaitIssued(tlsPort, "outage.test", Duration.ofSeconds(10));

        pebble.stopCa();

        // Renewal is due at two thirds of the life: the failures come from then on, each retry later than the last.
        await().atMost(Duration.ofSeconds(VALIDITY_SECONDS)).pollInterval(Duration.ofMillis(500))
                .until(() -> failedOrders() >= 2);
        assertThat(served(tlsPort, "outage.test").getSerialNumber()).isEqualTo(issued.getSerialNumber());
        double failuresNow = failedOrders();
        Thread.sleep(3000); // a window to count retries in, not a wait for a condition
        assertThat(failedOrders() - failuresNow).as("retries within 3 s once 2 failed (1 s, 2 s, 4 s…)")
                .isLessThanOrEqualTo(2);
        assertThat(served(tlsPort, "outage.test").getSerialNumber()).isEqualTo(issued.getSerialNumber());
    }

    private double failedOrders() throws Exception {
        return AutomaticHttpsTest.metric(server, "swarmgate_acme_orders_total{result=\"failed\"}");
    }
}
