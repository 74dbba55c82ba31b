package io.swarmgate.api.acme;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * When a certificate is renewed: at two thirds of its lifetime, as Let's Encrypt advises, less a random part of up to
 * a twentieth of it, so that replicas and certificates issued together do not all renew at the same moment; or within
 * the window the CA's renewal information (RFC 9773, ARI) suggests, when it gives one. The random part is drawn once
 * per certificate and replica, so that asking again gives the same moment.
 */
final class RenewalTime {
    private final RandomGenerator random;
    private final long replica;

    RenewalTime(RandomGenerator random) {
        this.random = random;
        this.replica = random.nextLong();
    }

    Instant of(X509Certificate certificate) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Duration lifetime = Duration.between(notBefore, certificate.getNotAfter().toInstant());
        double share = new SplittableRandom(certificate.getSerialNumber().longValue() ^ replica).nextDouble();
        Duration jitter = Duration.ofMillis((long) (share * lifetime.toMillis() / 20));
        return notBefore.plus(lifetime.multipliedBy(2).dividedBy(3)).minus(jitter);
    }

    /** A random moment of the CA's suggested window. */
    Instant within(Instant windowStart, Instant windowEnd) {
        long span = Math.max(0, Duration.between(windowStart, windowEnd).toMillis());
        return windowStart.plusMillis(span == 0 ? 0 : random.nextLong(span));
    }

    /** The {@code failures}th retry's delay: doubling from {@code first} up to 512 times it, 20 % either way. */
    Duration backoff(Duration first, int failures) {
        long millis = first.toMillis() << Math.min(failures - 1, 9);
        return Duration.ofMillis((long) (millis * (0.8 + 0.4 * random.nextDouble())));
    }
}
