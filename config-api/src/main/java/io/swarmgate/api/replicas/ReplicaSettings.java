package io.swarmgate.api.replicas;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a replica finds the others and the swarm listener, as Docker Flow Proxy does: the replicas are every address of
 * {@code tasks.<SERVICE_NAME>}; the listeners are asked for every service at start.
 *
 * @param serviceName       the proxy's own Swarm service ({@code SERVICE_NAME})
 * @param nameServer        the DNS server to ask; null for the system's ({@code /etc/resolv.conf}, Docker's in a task)
 * @param listenerAddresses Docker Flow Swarm Listeners to pull the services from at start, {@code host[:port]}
 *                          ({@code LISTENER_ADDRESS}); none to pull nothing
 * @param reloadInterval    how long to wait between two tries of that pull ({@code RELOAD_INTERVAL})
 */
public record ReplicaSettings(String serviceName, InetSocketAddress nameServer, List<String> listenerAddresses,
                              Duration reloadInterval) {
    /** Docker Flow Proxy's default service name. */
    public static final String DEFAULT_SERVICE_NAME = "proxy";
    /** Docker Flow Proxy's image default. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(5);
    public static final ReplicaSettings DEFAULTS = new ReplicaSettings(DEFAULT_SERVICE_NAME, null, List.of(),
            DEFAULT_RELOAD_INTERVAL);

    public ReplicaSettings {
        if (Objects.requireNonNull(serviceName, "serviceName").isEmpty()) {
            throw new IllegalArgumentException("SERVICE_NAME: empty (expected: the proxy's Swarm service name)");
        }
        listenerAddresses = List.copyOf(listenerAddresses);
        if (reloadInterval.isNegative() || reloadInterval.isZero()) {
            throw new IllegalArgumentException("RELOAD_INTERVAL: " + reloadInterval.toMillis()
                    + " (expected: milliseconds, 1 or more)");
        }
    }

    /** The name Swarm's DNS answers with the address of every task of the service. */
    public String tasksName() {
        return "tasks." + serviceName;
    }
}
