package io.swarmgate.api.acme;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.proxy.tls.SelfSignedCertificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Renewal at two thirds of a certificate's life less a jitter, and the back-off of failed orders. */
class RenewalTimeTest {
    private final RenewalTime renewal = new RenewalTime(new SplittableRandom());
    private final X509Certificate certificate = SelfSignedCertificate.create("c", List.of("a.test")).chain().get(0);

    @RepeatedTest(20)
    void renewsAtTwoThirdsLessUpToATwentiethOfTheLifetime() {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Duration lifetime = Duration.between(notBefore, certificate.getNotAfter().toInstant());
        Instant twoThirds = notBefore.plus(lifetime.multipliedBy(2).dividedBy(3));

        Instant at = renewal.of(certificate);

        assertThat(at).isBetween(twoThirds.minus(lifetime.dividedBy(20)), twoThirds);
    }

    @Test
    void givesTheSameMomentForTheSameCertificateEachTimeItIsAsked() {
        assertThat(renewal.of(certificate)).isEqualTo(renewal.of(certificate));
    }

    @Test
    void backsOffDoublingUpTo512TimesTheFirstDelayWithin20Percent() {
        Duration first = Duration.ofSeconds(60);

        assertThat(renewal.backoff(first, 1)).isBetween(Duration.ofSeconds(48), Duration.ofSeconds(72));
        assertThat(renewal.backoff(first, 3)).isBetween(Duration.ofSeconds(192), Duration.ofSeconds(288));
        assertThat(renewal.backoff(first, 40)).isBetween(first.multipliedBy(512).multipliedBy(8).dividedBy(10),
                first.multipliedBy(512).multipliedBy(12).dividedBy(10));
    }
}
