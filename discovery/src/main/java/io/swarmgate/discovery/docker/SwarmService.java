package io.swarmgate.discovery.docker;

import java.util.Map;
import java.util.Objects;

/**
 * What discovery needs to know of one Swarm service.
 *
 * @param id       the service's ID, stable across updates and renames
 * @param name     the service's name, e.g. {@code stack_web}
 * @param labels   the service's labels (not its containers')
 * @param global   whether the service runs one task per node rather than a number of replicas
 * @param replicas the replica count of a replicated service; 0 for a global one
 * @param updating whether a rolling update (or its rollback) is under way, replacing the tasks one after another
 */
public record SwarmService(String id, String name, Map<String, String> labels, boolean global, long replicas,
                           boolean updating) {
    public SwarmService {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
    }
}
