package io.swarmgate.api.http;

/**
 * Whether this instance should get new traffic: ready once started with its configuration, not ready from the moment
 * it begins to stop, so health checks and load balancers move away while requests in flight finish.
 */
public final class Readiness {
    private volatile boolean draining;

    public void draining() {
        draining = true;
    }

    boolean isReady() {
        return !draining;
    }
}
