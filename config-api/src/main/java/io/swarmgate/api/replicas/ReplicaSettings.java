package io.swarmgate.api.replicas;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * How a replica finds the others, as Docker Flow Proxy does: every address of {@code tasks.<SERVICE_NAME>}.
 *
 * @param serviceName the proxy's own Swarm service ({@code SERVICE_NAME})
 * @param nameServer  the DNS server to ask; null for the system's ({@code /etc/resolv.conf}, Docker's in a task)
 */
public record ReplicaSettings(String serviceName, InetSocketAddress nameServer) {
    /** Docker Flow Proxy's default service name. */
    public static final String DEFAULT_SERVICE_NAME = "proxy";
    public static final ReplicaSettings DEFAULTS = new ReplicaSettings(DEFAULT_SERVICE_NAME, null);

    public ReplicaSettings {
        if (Objects.requireNonNull(serviceName, "serviceName").isEmpty()) {
            throw new IllegalArgumentException("SERVICE_NAME: empty (expected: the proxy's Swarm service name)");
        }
    }

    /** The name Swarm's DNS answers with the address of every task of the service. */
    public String tasksName() {
        return "tasks." + serviceName;
    }
}
