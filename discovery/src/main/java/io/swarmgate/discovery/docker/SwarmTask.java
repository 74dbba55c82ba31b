package io.swarmgate.discovery.docker;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * What the task directory needs to know of one Swarm task that Swarm wants running.
 *
 * @param id        the task's ID
 * @param serviceId the ID of the task's service
 * @param running   whether the task is running now (not still being created, prepared or started)
 * @param addresses the task's address on each network it is attached to, ingress excluded (no name resolves on it)
 */
public record SwarmTask(String id, String serviceId, boolean running, List<NetworkAddress> addresses) {
    public SwarmTask {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(serviceId, "serviceId");
        addresses = List.copyOf(addresses);
    }

    /** A task's address on one network, known by its ID and its name. */
    public record NetworkAddress(String networkId, String networkName, InetAddress address) {
    }
}
