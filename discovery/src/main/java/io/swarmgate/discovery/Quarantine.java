package io.swarmgate.discovery;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Swarm services whose labels are invalid, and why: the log says it once, this says it for as long as it lasts.
 * Written by discovery's thread, read by anyone.
 */
public final class Quarantine {
    private final Map<String, String> reasons = new ConcurrentHashMap<>();

    void hold(String serviceName, String reason) {
        reasons.put(serviceName, reason);
    }

    void release(String serviceName) {
        reasons.remove(serviceName);
    }

    /** Why the service is held, or {@code null} when it is not. */
    String reason(String serviceName) {
        return reasons.get(serviceName);
    }

    /** Swarm service name to the reason its labels were rejected, sorted by name. */
    public SortedMap<String, String> reasons() {
        return new TreeMap<>(reasons);
    }
}
