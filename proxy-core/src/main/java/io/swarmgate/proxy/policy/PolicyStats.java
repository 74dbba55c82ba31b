package io.swarmgate.proxy.policy;

/**
 * What a policy that refuses requests counts, for metrics to read when they are scraped: the data plane only adds to
 * counters of its own, and knows nothing of the metrics library.
 */
public interface PolicyStats {
    /** Its name in metrics and the access log: {@code ratelimit}, {@code auth}, {@code breaker}, {@code concurrency}. */
    String policy();

    /** Requests it answered itself instead of forwarding them, since its route was compiled. */
    long refused();
}
