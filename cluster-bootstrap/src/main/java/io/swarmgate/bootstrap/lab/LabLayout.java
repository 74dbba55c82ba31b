package io.swarmgate.bootstrap.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Where the lab's pieces live. Its own bridge and subnet (not the 192.168.77.0/24 of the project's notes, not the host
 * engine's 172.17/172.18), its own overlay address pool (not the host swarm's 10.201.0.0/16), and names all starting
 * with {@code sgl} or {@code swarmgate-lab}, so that {@code lab down} finds exactly what {@code lab up} made.
 */
public final class LabLayout {
    public static final String BRIDGE = "sgl0";
    public static final String NET = "192.168.79";
    public static final String HOST_ADDRESS = NET + ".1";
    /** The lab swarm's overlay subnets; blackholed on the host, which must never send a packet there. */
    public static final String POOL = "10.202.0.0/16";
    public static final int MAX_NODES = 9;
    static final Path STATE = Path.of("/var/lib/swarmgate-lab");
    static final String FORWARD_COMMENT = "swarmgate-lab";

    private LabLayout() {
    }

    public static String hostname(int node) {
        return "sgl-node" + node;
    }

    /** Node K's address on the lab bridge: 192.168.79.1K. */
    public static String address(int node) {
        return NET + ".1" + node;
    }

    /** The node engine's API, reachable from the host. */
    public static String engine(int node) {
        return "unix://" + dir(node).resolve("docker.sock");
    }

    static String netns(int node) {
        return hostname(node);
    }

    static String veth(int node) {
        return "sgl-v" + node;
    }

    static Path dir(int node) {
        return STATE.resolve("node" + node);
    }

    /** Only in the node's own mount namespace, where /run is a private tmpfs. */
    static String execRoot(int node) {
        return "/run/swarmgate-lab/node" + node;
    }

    static String cgroupParent(int node) {
        return "/swarmgate-lab-node" + node;
    }

    /** The nodes whose state directory exists, in order. */
    public static List<Integer> existingNodes() {
        return IntStream.rangeClosed(1, MAX_NODES).filter(node -> Files.isDirectory(dir(node))).boxed().toList();
    }
}
