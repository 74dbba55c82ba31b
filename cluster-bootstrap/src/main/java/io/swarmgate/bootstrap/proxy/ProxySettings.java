package io.swarmgate.bootstrap.proxy;

import java.time.Duration;
import java.util.List;

/**
 * How Swarmgate runs as a Swarm service; one value, from which both the service spec and the stack file are made,
 * so that they cannot drift apart.
 *
 * @param ports published and target ports alike (80 data plane; 8080, the configuration API, only if asked)
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
    /** The configuration API's port in the container; it has no token unless the user sets one. */
    static final int API_PORT = 8080;

    /** How the configuration API is reached, told after a deploy: it can reroute every service. */
    String apiAccess() {
        if (ports.contains(API_PORT)) {
            return "configuration API: published on port " + API_PORT + " with no token: anyone who reaches it can "
                    + "reroute every service; publish only 80 (the default) and reach it from the network " + network;
        }
        return "configuration API: not published; reach it from a container on the network " + network
                + ", e.g. docker run --rm --network " + network + " busybox wget -qO- http://" + name + ":"
                + API_PORT + "/v1/docker-flow-proxy/config";
    }

    /** The environment of every replica: its own service name, for {@code distribute=true}. */
    List<String> environment() {
        return List.of("SERVICE_NAME=" + name);
    }
}
