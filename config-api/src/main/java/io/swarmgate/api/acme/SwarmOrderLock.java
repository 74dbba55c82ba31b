package io.swarmgate.api.acme;

import io.swarmgate.discovery.docker.DockerEngine;
import io.swarmgate.discovery.docker.DockerUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replicas agree on who orders through Swarm itself: the lock is a Swarm config named after the name set, which the
 * managers' Raft store lets exactly one of several simultaneous callers create. It is removed once the certificate has
 * reached the replicas; one left by a replica that died is taken over after {@link #STALE_AFTER}.
 */
public final class SwarmOrderLock implements OrderLock {
    private static final Logger log = LoggerFactory.getLogger(SwarmOrderLock.class);
    /** Longer than an order takes, validations and the hand-over to the replicas included. */
    static final Duration STALE_AFTER = Duration.ofMinutes(10);
    static final String LABEL = "io.swarmgate.acme.order";

    private final DockerEngine engine;
    private final String holder;
    private final Clock clock;

    /** @param holder names this replica in the config's data, for whoever inspects it */
    public SwarmOrderLock(DockerEngine engine, String holder, Clock clock) {
        this.engine = engine;
        this.holder = holder;
        this.clock = clock;
    }

    @Override
    public Optional<Held> tryLock(String key) {
        String name = configName(key);
        try {
            if (create(name, key)) {
                return Optional.of(() -> release(name));
            }
            Optional<Instant> created = engine.configCreated(name);
            if (created.isPresent() && created.get().plus(STALE_AFTER).isBefore(clock.instant())) {
                log.warn("ACME order lock {} for {} is older than {}: its holder is gone, taking it over", name, key,
                        STALE_AFTER);
                engine.removeConfig(name);
                return create(name, key) ? Optional.of(() -> release(name)) : Optional.empty();
            }
            return Optional.empty();
        } catch (DockerUnavailableException e) {
            log.warn("ACME order lock {} for {}: {}; not ordering now", name, key, e.getMessage());
            return Optional.empty();
        }
    }

    private boolean create(String name, String key) {
        return engine.createConfig(name, Map.of(LABEL, key), holder.getBytes(StandardCharsets.UTF_8));
    }

    private void release(String name) {
        try {
            engine.removeConfig(name);
        } catch (DockerUnavailableException e) {
            log.warn("ACME order lock {} not released ({}): another replica takes it over after {}", name,
                    e.getMessage(), STALE_AFTER);
        }
    }

    @Override
    public void close() {
        try {
            engine.close();
        } catch (IOException e) {
            log.debug("Closing the Docker client of the ACME order lock: {}", e.toString());
        }
    }

    /** A config name is at most 64 characters of a restricted set: a digest of the name set fits any. */
    static String configName(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "swarmgate-acme-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
