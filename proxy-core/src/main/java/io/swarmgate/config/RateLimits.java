package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import io.swarmgate.proxy.policy.HeaderNames;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** A destination's {@code rateLimit}, {@code rateLimitBurst} and {@code rateLimitBy}, read and checked. */
final class RateLimits {
    private static final String HEADER = "header:";

    /**
     * @param interval nanoseconds between two tokens
     * @param burst    the tokens a full bucket holds
     * @param header   the header keying the buckets, or {@code null} for the client address
     */
    record Settings(long interval, int burst, String header) {
    }

    private RateLimits() {
    }

    /**
     * The destination's rate limit, or {@code null} without one; a 400 naming the parameter (as {@code name} gives it)
     * when a value is malformed, or given without {@code rateLimit} or on a destination that has no requests.
     */
    static Settings parse(DestinationSpec d, boolean http, UnaryOperator<String> name) {
        if (d.rateLimit().isEmpty()) {
            if (!d.rateLimitBurst().isEmpty()) {
                throw invalid(name.apply("rateLimitBurst"), d.rateLimitBurst(), "no value without rateLimit");
            }
            if (!d.rateLimitBy().isEmpty()) {
                throw invalid(name.apply("rateLimitBy"), d.rateLimitBy(), "no value without rateLimit");
            }
            return null;
        }
        if (!http) {
            throw invalid(name.apply("rateLimit"), d.rateLimit(), "no value with reqMode=" + d.reqMode()
                    + ", which has no requests to count");
        }
        String rate = d.rateLimit();
        int slash = rate.indexOf('/');
        String count = slash < 0 ? "" : rate.substring(0, slash);
        String unit = slash < 0 ? "" : rate.substring(slash + 1);
        if (!count.matches("[1-9][0-9]{0,8}") || !(unit.equals("s") || unit.equals("m"))) {
            throw invalid(name.apply("rateLimit"), rate, "requests per second or minute, such as 100/s or 30/m");
        }
        int perUnit = Integer.parseInt(count);
        long interval = (unit.equals("s") ? TimeUnit.SECONDS : TimeUnit.MINUTES).toNanos(1) / perUnit;
        return new Settings(interval, burst(d, perUnit, name), header(d, name));
    }

    private static int burst(DestinationSpec d, int perUnit, UnaryOperator<String> name) {
        String raw = d.rateLimitBurst();
        if (raw.isEmpty()) {
            return perUnit;
        }
        if (!raw.matches("[1-9][0-9]{0,8}")) {
            throw invalid(name.apply("rateLimitBurst"), raw, "a whole number of requests, 1 or more");
        }
        return Integer.parseInt(raw);
    }

    private static String header(DestinationSpec d, UnaryOperator<String> name) {
        String by = d.rateLimitBy();
        if (by.isEmpty() || by.equals("client")) {
            return null;
        }
        String header = by.startsWith(HEADER) ? by.substring(HEADER.length()) : "";
        if (!HeaderNames.isName(header)) {
            throw invalid(name.apply("rateLimitBy"), by, "client, or header:<Name> such as header:X-Api-Key");
        }
        return header;
    }
}
