package io.swarmgate.api.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.config.ServiceSpec;
import io.swarmgate.proxy.acme.AcmeChallenges;
import io.swarmgate.testing.Queries;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A look at a name set that fails outside the order itself is counted and retried, never dropped unseen. */
class OrderFailuresTest {
    private static final Duration RETRY = Duration.ofMillis(100);

    @Test
    void anOrderLockThatFailsIsRetriedWithBackOffAndCountedUntilItAnswers() {
        AtomicInteger attempts = new AtomicInteger();
        OrderLock failingTwice = key -> {
            if (attempts.incrementAndGet() <= 2) {
                throw new IllegalStateException("Docker engine gone");
            }
            return Optional.empty(); // then another replica holds it
        };
        Queue<String> results = new ConcurrentLinkedQueue<>();
        AcmeSettings settings = new AcmeSettings(true, URI.create("https://127.0.0.1:1/dir"), "", null, null,
                ChallengeType.HTTP_01, RETRY);
        AutomaticCertificates automatic = new AutomaticCertificates(settings,
                new ChallengeBoard(new AcmeChallenges()), Replicas.NONE, failingTwice, new NoCertificates(),
                results::add, Clock.systemUTC(), new Random(1));
        try {
            ServiceSpec service = Queries.service(
                    "serviceName=web&serviceDomain=web.test&port=80&letsencrypt.host=web.test");
            automatic.serviceApplied(service);

            await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 3);
            assertThat(results).containsExactly("failed", "failed");
        } finally {
            automatic.close();
        }
    }
}
