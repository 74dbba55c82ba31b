package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import io.swarmgate.proxy.policy.CircuitBreaker;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A destination's {@code breakerErrorRatio}, {@code breakerLatency}, {@code breakerMinRequests},
 * {@code breakerWindow}, {@code breakerOpenFor} and {@code breakerProbes}.
 */
final class BreakerRules {
    private static final int DEFAULT_MIN_REQUESTS = 20;
    private static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    private static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(10);
    private static final int DEFAULT_PROBES = 3;

    private BreakerRules() {
    }

    /**
     * The destination's breaker, or {@code null} without one; a 400 naming the parameter (as {@code name} gives it)
     * when a value is malformed, or given without a ratio or latency bound, or on a destination without requests.
     */
    static CircuitBreaker.Settings parse(DestinationGuards g, String reqMode, boolean http,
                                         UnaryOperator<String> name) {
        if (g.breakerErrorRatio().isEmpty() && g.breakerLatency().isEmpty()) {
            onlyWithBound(name.apply("breakerMinRequests"), g.breakerMinRequests());
            onlyWithBound(name.apply("breakerWindow"), g.breakerWindow());
            onlyWithBound(name.apply("breakerOpenFor"), g.breakerOpenFor());
            onlyWithBound(name.apply("breakerProbes"), g.breakerProbes());
            return null;
        }
        String bound = g.breakerErrorRatio().isEmpty() ? "breakerLatency" : "breakerErrorRatio";
        if (!http) {
            throw invalid(name.apply(bound), g.breakerErrorRatio() + g.breakerLatency(), "no value with reqMode="
                    + reqMode + ", which has no requests to count");
        }
        int errorPercent = g.breakerErrorRatio().isEmpty() ? 0
                : DestinationGuards.percent(g.breakerErrorRatio(), name.apply("breakerErrorRatio"));
        long slowNanos = 0;
        int slowPercent = 0;
        if (!g.breakerLatency().isEmpty()) {
            String latency = g.breakerLatency();
            int colon = latency.indexOf(':');
            String percentile = colon < 0 ? "" : latency.substring(0, colon);
            if (!percentile.matches("p[5-9][0-9]")) {
                throw invalid(name.apply("breakerLatency"), latency,
                        "p<percentile>:<duration> from p50 to p99, such as p90:500ms");
            }
            slowPercent = 100 - Integer.parseInt(percentile.substring(1));
            slowNanos = DestinationGuards.duration(latency.substring(colon + 1), name.apply("breakerLatency"))
                    .toNanos();
        }
        return new CircuitBreaker.Settings(errorPercent, slowNanos, slowPercent,
                count(g.breakerMinRequests(), DEFAULT_MIN_REQUESTS, name.apply("breakerMinRequests")), duration(
                g.breakerWindow(), DEFAULT_WINDOW, name.apply("breakerWindow")), duration(g.breakerOpenFor(),
                DEFAULT_OPEN_FOR, name.apply("breakerOpenFor")), count(g.breakerProbes(), DEFAULT_PROBES,
                name.apply("breakerProbes")));
    }

    private static int count(String raw, int otherwise, String name) {
        if (raw.isEmpty()) {
            return otherwise;
        }
        if (!raw.matches("[1-9][0-9]{0,5}")) {
            throw invalid(name, raw, "a whole number, 1 or more");
        }
        return Integer.parseInt(raw);
    }

    private static long duration(String raw, Duration otherwise, String name) {
        return (raw.isEmpty() ? otherwise : DestinationGuards.duration(raw, name)).toNanos();
    }

    private static void onlyWithBound(String name, String raw) {
        if (!raw.isEmpty()) {
            throw invalid(name, raw, "no value without breakerErrorRatio or breakerLatency");
        }
    }
}
