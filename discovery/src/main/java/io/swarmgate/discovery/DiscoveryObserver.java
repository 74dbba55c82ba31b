package io.swarmgate.discovery;

/** Told of each change discovery makes to the registry, on discovery's thread; e.g. to count them. */
public interface DiscoveryObserver {
    /** Observes nothing. */
    DiscoveryObserver NONE = applied -> { };

    /**
     * A service changed in the swarm: its routes were set or removed ({@code applied}), or its labels were invalid and
     * its routes were left as they were.
     */
    void changed(boolean applied);
}
