package io.swarmgate.bootstrap.proxy;

import java.time.Duration;
import java.util.List;

/**
 * How Swarmgate runs as a Swarm service; one value, from which both the service spec and the stack file are made,
 * so that they cannot drift apart.
 *
 * @param ports published and target ports alike (80 data plane, 8080 configuration API)
 * @param hostMode host-mode ports (each node running a replica answers on its own address) rather than the ingress
 *     routing mesh, which needs IPVS
 */
public record ProxySettings(String name, String image, int replicas, List<Integer> ports, boolean hostMode,
        String network, String socket) {
    static final Duration UPDATE_DELAY = Duration.ofSeconds(10);
    static final Duration UPDATE_MONITOR = Duration.ofSeconds(15);
    static final Duration RESTART_DELAY = Duration.ofSeconds(5);
    static final Duration HEALTH_INTERVAL = Duration.ofSeconds(5);
    static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(3);
    static final Duration HEALTH_START = Duration.ofSeconds(30);
    static final int HEALTH_RETRIES = 3;
    static final List<String> HEALTH_TEST = List.of("CMD", "wget", "-q", "-O", "/dev/null",
            "http://127.0.0.1:8080/ready");
    static final String CONSTRAINT = "node.role==manager";
    static final String SOCKET_IN_CONTAINER = "/var/run/docker.sock";

    /** The environment of every replica: its own service name, for {@code distribute=true}. */
    List<String> environment() {
        return List.of("SERVICE_NAME=" + name);
    }
}
