package io.swarmgate.proxy.policy;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code timeoutServer} and {@code timeoutTunnel}: how long the route's backend may stay silent during an exchange,
 * and an upgraded connection (WebSocket) both ways, instead of the server's settings.
 */
public final class RouteTimeouts implements RoutePolicy {
    private final @Nullable Duration backend;
    private final @Nullable Duration tunnel;

    /** Either may be {@code null} for the server's setting, not both. */
    public RouteTimeouts(@Nullable Duration backend, @Nullable Duration tunnel) {
        if (backend == null && tunnel == null) {
            throw new IllegalArgumentException("timeouts: none given (expected: a backend or a tunnel timeout)");
        }
        this.backend = positive("backend", backend);
        this.tunnel = positive("tunnel", tunnel);
    }

    private static @Nullable Duration positive(String name, @Nullable Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException(name + ": " + timeout + " (expected: positive)");
        }
        return timeout;
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        if (backend != null) {
            request.backendTimeout(backend);
        }
        if (tunnel != null) {
            request.tunnelTimeout(tunnel);
        }
        return PolicyResult.PROCEED;
    }
}
