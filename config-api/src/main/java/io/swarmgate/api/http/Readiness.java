package io.swarmgate.api.http;

/**
 * Whether this instance should get new traffic: ready once started with its configuration, not ready from the moment
 * it begins to stop, so health checks and load balancers move away while requests in flight finish.
 */
public final class Readiness {
    private volatile boolean draining;
    private volatile boolean pulled = true;

    /** From now until {@link #pulled()}, DFP's {@code successfulinitreload} answers 500: the start-up pull is due. */
    public void awaitingPull() {
        pulled = false;
    }

    /** The services of the swarm listener are applied. */
    public void pulled() {
        pulled = true;
    }

    boolean hasPulled() {
        return pulled;
    }

    public void draining() {
        draining = true;
    }

    boolean isReady() {
        return !draining;
    }
}
