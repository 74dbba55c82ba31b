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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which name sets are looked at as services come, change and go. Each look asks the order lock, which answers that
 * another replica orders, so a wanted set is looked at again every retry interval and nothing is ordered.
 */
class FollowedNameSetsTest {
    private static final Duration RETRY = Duration.ofMillis(100);

    private final Queue<String> looks = new ConcurrentLinkedQueue<>();
    private AutomaticCertificates automatic;

    @BeforeEach
    void start() {
        OrderLock orderedElsewhere = key -> {
            looks.add(key);
            return Optional.empty();
        };
        AcmeSettings settings = new AcmeSettings(true, URI.create("https://127.0.0.1:1/dir"), "", null, null,
                ChallengeType.HTTP_01, RETRY);
        automatic = new AutomaticCertificates(settings, new ChallengeBoard(new AcmeChallenges()), Replicas.NONE,
                orderedElsewhere, new NoCertificates(), result -> { }, Clock.systemUTC(), new Random(1));
    }

    @AfterEach
    void stop() {
        automatic.close();
    }

    @Test
    void aNameSetIsLookedAtWhileAnyServiceAsksForIt() {
        automatic.serviceApplied(service("a", "web.test"));
        automatic.serviceApplied(service("b", "web.test"));
        awaitLooks("web.test", 2);

        automatic.serviceRemoved("a");
        awaitLooks("web.test", 2); // b still asks for it

        automatic.serviceApplied(service("b", "shop.test"));
        awaitLooks("shop.test", 1);
        assertNoMoreLooks("web.test", "shop.test");

        automatic.serviceRemoved("b");
        automatic.serviceApplied(service("c", "other.test"));
        awaitLooks("other.test", 1);
        assertNoMoreLooks("shop.test", "other.test");
    }

    private static ServiceSpec service(String name, String host) {
        return Queries.service("serviceName=" + name + "&serviceDomain=" + host + "&port=80&letsencrypt.host=" + host);
    }

    /** Waits for {@code count} looks at {@code key} after the call. */
    private void awaitLooks(String key, int count) {
        looks.clear();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> looks.stream().filter(key::equals).count() >= count);
    }

    /**
     * {@code dropped} is not looked at again while {@code kept} is looked at four times: the worker, which does the
     * changes and the looks in turn, dropped it before it first looked at {@code kept}.
     */
    private void assertNoMoreLooks(String dropped, String kept) {
        looks.clear();
        await().atMost(Duration.ofSeconds(10)).until(() -> looks.stream().filter(kept::equals).count() >= 4);
        assertThat(looks).doesNotContain(dropped);
    }
}
