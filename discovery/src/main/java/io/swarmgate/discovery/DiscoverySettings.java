package io.swarmgate.discovery;

import java.time.Duration;
import java.util.Objects;

/**
 * How discovery finds the engine and reads services.
 *
 * @param dockerHost     the Docker API ({@code DOCKER_HOST}), e.g. {@code unix:///var/run/docker.sock}
 * @param labelPrefix    labels under this prefix become reconfigure parameters, the prefix stripped
 * @param notifyLabel    only services whose label of this name is {@code true} are routed (the listener's
 *                       {@code DF_NOTIFY_LABEL})
 * @param resyncInterval how often every service is listed again, to catch what the event stream missed
 * @param maxBackoff     the longest wait before the event stream is opened again after it broke
 */
public record DiscoverySettings(String dockerHost, String labelPrefix, String notifyLabel, Duration resyncInterval,
                                Duration maxBackoff) {
    public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
    public static final String DEFAULT_LABEL_PREFIX = "com.df.";
    public static final String DEFAULT_NOTIFY_LABEL = "com.df.notify";
    public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofSeconds(15);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

    public DiscoverySettings {
        Objects.requireNonNull(dockerHost, "dockerHost");
        if (Objects.requireNonNull(labelPrefix, "labelPrefix").isEmpty()) {
            throw new IllegalArgumentException("labelPrefix: empty (expected: a label prefix such as com.df.)");
        }
        if (Objects.requireNonNull(notifyLabel, "notifyLabel").isEmpty()) {
            throw new IllegalArgumentException("notifyLabel: empty (expected: a label name such as com.df.notify)");
        }
        if (resyncInterval.isNegative() || resyncInterval.isZero()) {
            throw new IllegalArgumentException("resyncInterval: " + resyncInterval + " (expected: positive)");
        }
        if (maxBackoff.isNegative() || maxBackoff.isZero()) {
            throw new IllegalArgumentException("maxBackoff: " + maxBackoff + " (expected: positive)");
        }
    }

    /** The listener's defaults, against the engine at {@code dockerHost}. */
    public static DiscoverySettings defaults(String dockerHost) {
        return new DiscoverySettings(dockerHost, DEFAULT_LABEL_PREFIX, DEFAULT_NOTIFY_LABEL, DEFAULT_RESYNC_INTERVAL,
                DEFAULT_MAX_BACKOFF);
    }

    public DiscoverySettings withResyncInterval(Duration interval) {
        return new DiscoverySettings(dockerHost, labelPrefix, notifyLabel, interval, maxBackoff);
    }
}
