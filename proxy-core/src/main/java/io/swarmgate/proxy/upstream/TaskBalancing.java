package io.swarmgate.proxy.upstream;

import java.util.Objects;

/**
 * How a {@linkplain Backend#tasks task-balanced} backend picks and watches its tasks.
 *
 * @param policy          which task takes the next request
 * @param healthCheckPath a path each task is asked for every few seconds, or {@code null} for passive health only
 * @param sticky          whether a cookie pins each client to the task that served it first
 *                        ({@code sessionType=sticky-server}), as long as that task is there and healthy
 * @param connectCheck    whether each task is checked every few seconds by opening a connection to it
 *                        ({@code checkTcp}); a refusal or silence ejects it, a connection readmits it
 */
public record TaskBalancing(Policy policy, String healthCheckPath, boolean sticky, boolean connectCheck) {
    /** Round robin, passive health only. */
    public static final TaskBalancing DEFAULT = new TaskBalancing(Policy.ROUND_ROBIN, null, false, false);

    public TaskBalancing(Policy policy, String healthCheckPath) {
        this(policy, healthCheckPath, false, false);
    }

    public TaskBalancing(Policy policy, String healthCheckPath, boolean sticky) {
        this(policy, healthCheckPath, sticky, false);
    }

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
