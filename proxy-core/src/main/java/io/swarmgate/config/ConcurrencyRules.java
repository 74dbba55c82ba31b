package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import io.swarmgate.proxy.policy.ConcurrencyLimit;
import java.util.function.UnaryOperator;

/** A destination's {@code concurrencyLimit} and {@code concurrencyLimitPerClient}. */
final class ConcurrencyRules {
    private ConcurrencyRules() {
    }

    /**
     * The destination's limit, or {@code null} without one; a 400 naming the parameter (as {@code name} gives it)
     * when a value is not a whole number above 0, or is given on a destination that has no requests.
     */
    static ConcurrencyLimit parse(DestinationGuards g, String reqMode, boolean http, UnaryOperator<String> name) {
        if (g.concurrencyLimit().isEmpty() && g.concurrencyLimitPerClient().isEmpty()) {
            return null;
        }
        String given = g.concurrencyLimit().isEmpty() ? "concurrencyLimitPerClient" : "concurrencyLimit";
        if (!http) {
            throw invalid(name.apply(given), g.concurrencyLimit() + g.concurrencyLimitPerClient(),
                    "no value with reqMode=" + reqMode + ", which has no requests to count");
        }
        return new ConcurrencyLimit(limit(g.concurrencyLimit(), name.apply("concurrencyLimit")),
                limit(g.concurrencyLimitPerClient(), name.apply("concurrencyLimitPerClient")));
    }

    private static int limit(String raw, String name) {
        if (raw.isEmpty()) {
            return 0;
        }
        if (!raw.matches("[1-9][0-9]{0,6}")) {
            throw invalid(name, raw, "a whole number of requests in progress, 1 or more");
        }
        return Integer.parseInt(raw);
    }
}
