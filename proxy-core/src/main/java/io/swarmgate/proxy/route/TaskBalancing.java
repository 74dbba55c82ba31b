package io.swarmgate.proxy.route;

import java.util.Objects;

/**
 * How a {@linkplain Backend#tasks task-balanced} backend picks and watches its tasks.
 *
 * @param policy          which task takes the next request
 * @param healthCheckPath a path each task is asked for every few seconds, or {@code null} for passive health only
 */
public record TaskBalancing(Policy policy, String healthCheckPath) {
    /** Round robin, passive health only. */
    public static final TaskBalancing DEFAULT = new TaskBalancing(Policy.ROUND_ROBIN, null);

    /** Which task takes the next request. */
    public enum Policy {
        /** Each available task in turn. */
        ROUND_ROBIN,
        /** The available task with the fewest requests in flight (ties in turn). */
        LEAST_REQUESTS
    }

    public TaskBalancing {
        Objects.requireNonNull(policy, "policy");
        if (healthCheckPath != null && !healthCheckPath.startsWith("/")) {
            throw new IllegalArgumentException("healthCheckPath: '" + healthCheckPath + "' (expected: a path)");
        }
    }
}
