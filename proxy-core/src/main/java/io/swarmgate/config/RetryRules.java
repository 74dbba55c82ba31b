package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import io.swarmgate.proxy.policy.RetryBudget;
import io.swarmgate.proxy.policy.RetryPolicy;
import io.swarmgate.proxy.policy.RetryPolicy.Failure;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * A destination's {@code retryAttempts}, {@code retryOn}, {@code retryBackoff}, {@code retryBudget} and
 * {@code retryNonIdempotent}. Without any of them the route keeps {@link RetryPolicy#DEFAULT}.
 */
final class RetryRules {
    private static final int MAX_ATTEMPTS = 10;

    /** @param budget the request policy that counts the route's requests for the budget, or {@code null} */
    record Settings(RetryPolicy policy, RetryBudget budget) {
    }

    private RetryRules() {
    }

    /**
     * The destination's retries, or {@code null} for the default; a 400 naming the parameter (as {@code name} gives
     * it) when a value is malformed, or given on a destination that has no requests.
     */
    static Settings parse(DestinationGuards g, String reqMode, boolean http, UnaryOperator<String> name) {
        if (g.retryAttempts().isEmpty() && g.retryOn().isEmpty() && g.retryBackoff().isEmpty()
                && g.retryBudget().isEmpty() && g.retryNonIdempotent().isEmpty()) {
            return null;
        }
        if (!http) {
            throw invalid(name.apply("retryAttempts"), g.retryAttempts(), "no retry parameter with reqMode="
                    + reqMode + ", which has no requests to retry");
        }
        int attempts = attempts(g.retryAttempts(), name.apply("retryAttempts"));
        Set<Failure> failures = EnumSet.noneOf(Failure.class);
        Set<Integer> statuses = new TreeSet<>();
        retryOn(g.retryOn(), name.apply("retryOn"), failures, statuses);
        long backoff = g.retryBackoff().isEmpty() ? 0
                : DestinationGuards.duration(g.retryBackoff(), name.apply("retryBackoff")).toNanos();
        RetryBudget budget = g.retryBudget().isEmpty() ? null
                : new RetryBudget(DestinationGuards.percent(g.retryBudget(), name.apply("retryBudget")));
        boolean nonIdempotent = ParameterValues.bool(name.apply("retryNonIdempotent"), g.retryNonIdempotent());
        return new Settings(new RetryPolicy(attempts, failures, statuses, backoff, budget, nonIdempotent), budget);
    }

    private static int attempts(String raw, String name) {
        if (raw.isEmpty()) {
            return 3;
        }
        if (!raw.matches("[1-9][0-9]?") || Integer.parseInt(raw) > MAX_ATTEMPTS) {
            throw invalid(name, raw, "1 to " + MAX_ATTEMPTS + " attempts, the first included");
        }
        return Integer.parseInt(raw);
    }

    /** Without a list, the failures retried by default: a connection refused, reset or silent. */
    private static void retryOn(List<String> raw, String name, Set<Failure> failures, Set<Integer> statuses) {
        if (raw.isEmpty()) {
            failures.addAll(EnumSet.allOf(Failure.class));
            return;
        }
        for (String item : raw) {
            switch (item.strip()) {
                case "connect" -> failures.add(Failure.CONNECT_FAILED);
                case "reset" -> failures.add(Failure.CLOSED);
                case "timeout" -> failures.add(Failure.TIMED_OUT);
                default -> {
                    if (!item.strip().matches("5[0-9][0-9]")) {
                        throw invalid(name, String.join(",", raw),
                                "connect, reset, timeout or statuses 500 to 599, such as connect,reset,502,503");
                    }
                    statuses.add(Integer.parseInt(item.strip()));
                }
            }
        }
    }
}
