package io.swarmgate.bootstrap.lab;

import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.engine.Images;
import io.swarmgate.bootstrap.engine.Wait;
import io.swarmgate.bootstrap.host.HostCommand;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Docker engines on this one Linux machine, each in its own network namespace on a private bridge, as
 * docker-machine made VMs: the multi-node lab. Needs root. {@code up} adds what is missing and starts engines that
 * are not running (also after {@link #killNode}); {@code down} removes what {@code up} made and nothing else.
 */
public final class Lab {
    private static final String DOCKERD = "/usr/sbin/dockerd";
    private static final Duration ENGINE_START = Duration.ofSeconds(30);
    private static final Duration PROCESSES_GONE = Duration.ofSeconds(10);
    private static final Path CGROUPS = Path.of("/sys/fs/cgroup");

    private final Console console;

    public Lab(Console console) {
        this.console = console;
    }

    /** Brings up nodes 1..{@code nodes}, then copies {@code images} from {@code imageSource} into each. */
    public void up(int nodes, Engine imageSource, List<String> images) {
        if (nodes < 1 || nodes > LabLayout.MAX_NODES) {
            throw new BootstrapException("--nodes " + nodes + " (expected: 1-" + LabLayout.MAX_NODES + ")");
        }
        if (!new File(DOCKERD).canExecute()) {
            throw new BootstrapException(DOCKERD + " is missing: install Debian's docker.io");
        }
        long started = System.nanoTime();
        bridge();
        List<Engine> engines = new ArrayList<>();
        try {
            for (int node = 1; node <= nodes; node++) {
                namespace(node);
                engines.add(startEngine(node));
            }
            for (int node = 1; node <= nodes; node++) {
                awaitEngine(node, engines.get(node - 1));
            }
            for (String image : images) {
                if (Images.id(imageSource, image).isEmpty()) {
                    console.unchanged("image " + image + ": not on " + imageSource.uri() + ", not copied");
                } else {
                    Images.copy(imageSource, engines, image, console);
                }
            }
        } finally {
            engines.forEach(Engine::close);
        }
        List<Integer> more = LabLayout.existingNodes().stream().filter(node -> node > nodes).toList();
        if (!more.isEmpty()) {
            console.unchanged("nodes " + more + " exist too and were left alone (lab down removes them)");
        }
        console.did(String.format("lab up: %d node(s) on %s.0/24 in %.1f s; engines %s ... %s", nodes,
                LabLayout.NET, (System.nanoTime() - started) / 1e9, LabLayout.engine(1), LabLayout.engine(nodes)));
    }

    /** Stops every node and removes the bridge, namespaces, rules, routes and state the lab made. */
    public void down() {
        List<Integer> nodes = LabLayout.existingNodes();
        boolean bridge = HostCommand.succeeds("ip", "link", "show", LabLayout.BRIDGE);
        if (nodes.isEmpty() && !bridge && !forwardRulePresent() && !blackholePresent()) {
            console.unchanged("no lab here: nothing to remove");
            return;
        }
        for (int node : nodes) {
            int killed = stopProcesses(node);
            // The veth pair first (deleting one end deletes both): a namespace's deletion frees its end lazily.
            HostCommand.succeeds("ip", "link", "del", LabLayout.veth(node));
            if (Files.exists(netnsPath(node))) {
                HostCommand.run("ip", "netns", "del", LabLayout.netns(node));
            }
            removeCgroups(node);
            deleteTree(LabLayout.dir(node));
            console.did("node " + node + ": " + killed + " process(es) stopped, namespace and state removed");
        }
        if (bridge) {
            HostCommand.run("ip", "link", "del", LabLayout.BRIDGE);
            console.did("bridge " + LabLayout.BRIDGE + " removed");
        }
        while (forwardRulePresent()) {
            HostCommand.run(forwardRule("-D"));
        }
        if (blackholePresent()) {
            HostCommand.run("ip", "route", "del", "blackhole", LabLayout.POOL);
        }
        deleteTree(LabLayout.STATE);
        console.did("lab down: forwarding rule and blackhole route for " + LabLayout.POOL + " removed");
    }

    /** Hard-kills a node (its engine, containerd, shims and containers), as a machine losing power. */
    public void killNode(int node) {
        requireNode(node);
        int killed = stopProcesses(node);
        console.did("node " + node + ": " + killed + " process(es) killed; `lab up` starts it again");
    }

    /**
     * Cuts a node off the lab bridge (its veth's host end down), as a switch port failing: its engine and containers
     * run on, but reach no other node and nothing reaches them.
     */
    public void partition(int node) {
        setLink(node, "down");
        console.did("node " + node + ": link " + LabLayout.veth(node) + " down, cut off the other nodes; "
                + "`lab heal " + node + "` restores it");
    }

    /** Restores a node's link to the lab bridge after {@link #partition}. */
    public void heal(int node) {
        setLink(node, "up");
        console.did("node " + node + ": link " + LabLayout.veth(node) + " up again");
    }

    private static void setLink(int node, String state) {
        requireNode(node);
        HostCommand.run("ip", "link", "set", LabLayout.veth(node), state);
    }

    private static void requireNode(int node) {
        if (!LabLayout.existingNodes().contains(node)) {
            throw new BootstrapException("no lab node " + node + " (nodes: " + LabLayout.existingNodes() + ")");
        }
    }

    private void bridge() {
        if (HostCommand.succeeds("ip", "link", "show", LabLayout.BRIDGE)) {
            console.unchanged("bridge " + LabLayout.BRIDGE + ": already there");
        } else {
            HostCommand.run("ip", "link", "add", LabLayout.BRIDGE, "type", "bridge");
            HostCommand.run("ip", "addr", "add", LabLayout.HOST_ADDRESS + "/24", "dev", LabLayout.BRIDGE);
            HostCommand.run("ip", "link", "set", LabLayout.BRIDGE, "up");
            console.did("bridge " + LabLayout.BRIDGE + ": created, host " + LabLayout.HOST_ADDRESS + "/24");
        }
        // The host engine sets FORWARD to DROP, and br_netfilter passes bridged frames through it.
        if (!forwardRulePresent()) {
            HostCommand.run(forwardRule("-I"));
            console.did("iptables: FORWARD accepts " + LabLayout.BRIDGE + " to " + LabLayout.BRIDGE);
        }
        if (!blackholePresent()) {
            HostCommand.run("ip", "route", "replace", "blackhole", LabLayout.POOL);
            console.did("route: blackhole " + LabLayout.POOL + " (the lab swarm's overlay pool) on the host");
        }
    }

    private void namespace(int node) {
        String ns = LabLayout.netns(node);
        if (Files.exists(netnsPath(node))) {
            console.unchanged("node " + node + ": namespace " + ns + " already there");
            return;
        }
        String veth = LabLayout.veth(node);
        HostCommand.run("ip", "netns", "add", ns);
        HostCommand.run("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        HostCommand.run("ip", "link", "set", veth, "master", LabLayout.BRIDGE, "up");
        HostCommand.run("ip", "-n", ns, "addr", "add", LabLayout.address(node) + "/24", "dev", "eth0");
        HostCommand.run("ip", "-n", ns, "link", "set", "lo", "up");
        HostCommand.run("ip", "-n", ns, "link", "set", "eth0", "up");
        HostCommand.run("ip", "-n", ns, "route", "add", "default", "via", LabLayout.HOST_ADDRESS);
        console.did("node " + node + ": namespace " + ns + ", address " + LabLayout.address(node));
    }

    private Engine startEngine(int node) {
        Engine engine = Engine.connect(LabLayout.engine(node));
        if (engine.answers()) {
            console.unchanged("node " + node + ": engine already running");
            return engine;
        }
        Path dir = LabLayout.dir(node);
        try {
            Files.createDirectories(dir);
            // Own key file: otherwise every engine reads /etc/docker/key.json and they share one engine ID.
            Files.writeString(dir.resolve("daemon.json"), "{\"deprecated-key-path\": \"" + dir.resolve("key.json")
                    + "\", \"insecure-registries\": [\"" + LabLayout.NET + ".0/24\"]}\n");
            // Nothing answers DNS there: lookups of docker.io fail at once instead of after 20 s.
            Files.writeString(dir.resolve("resolv.conf"), "nameserver " + LabLayout.HOST_ADDRESS + "\n");
            new ProcessBuilder("setsid", "nsenter", "--net=" + netnsPath(node), "unshare", "--mount", "--uts",
                    "--propagation", "slave", "sh", "-c", launchScript(node))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
        } catch (IOException e) {
            engine.close();
            throw new BootstrapException("node " + node + ": cannot start its engine: " + e.getMessage(), e);
        }
        console.did("node " + node + ": engine starting (log " + dir.resolve("dockerd.log") + ")");
        return engine;
    }

    /**
     * In the node's own mount and UTS namespaces: a fresh sysfs for its network namespace with the host's cgroup
     * mounts kept (what {@code ip netns exec} loses), its resolv.conf, and a private /run, so that the node's
     * /var/run/docker.sock is its own engine's, as on a real machine (a proxy mounting the socket discovers this
     * swarm, not the host's).
     */
    private static String launchScript(int node) {
        Path dir = LabLayout.dir(node);
        String execRoot = LabLayout.execRoot(node);
        return String.join("\n",
                "set -e",
                "hostname " + LabLayout.hostname(node),
                "mkdir -p " + dir + "/cg && mount --rbind /sys/fs/cgroup " + dir + "/cg",
                "umount -l /sys && mount -t sysfs sysfs /sys",
                "mount --rbind " + dir + "/cg /sys/fs/cgroup && umount -l " + dir + "/cg",
                "mount --bind " + dir + "/resolv.conf /etc/resolv.conf",
                "mount -t tmpfs -o mode=755 tmpfs /run",
                "mkdir -p " + execRoot,
                "exec " + DOCKERD + " --config-file " + dir + "/daemon.json --data-root " + dir + "/data"
                        + " --exec-root " + execRoot + " --pidfile " + execRoot + "/docker.pid"
                        + " -H unix://" + dir + "/docker.sock -H unix:///var/run/docker.sock"
                        + " --cgroup-parent " + LabLayout.cgroupParent(node));
    }

    private void awaitEngine(int node, Engine engine) {
        Path log = LabLayout.dir(node).resolve("dockerd.log");
        Wait.until("node " + node + "'s engine at " + engine.uri(), ENGINE_START, console,
                () -> engine.answers() ? Wait.State.done("answers")
                        : Wait.State.waiting("not answering; last log line: " + lastLine(log)));
    }

    private int stopProcesses(int node) {
        int killed = NodeProcesses.kill(node);
        Wait.until("node " + node + "'s processes to end", PROCESSES_GONE, console, () -> {
            List<ProcessHandle> left = NodeProcesses.of(node);
            left.forEach(ProcessHandle::destroyForcibly);
            return left.isEmpty() ? Wait.State.done("none left") : Wait.State.waiting(left.size() + " left");
        });
        return killed;
    }

    /** Depth first: a cgroup directory goes once its children are gone and its processes ended. */
    private void removeCgroups(int node) {
        String parent = LabLayout.cgroupParent(node).substring(1);
        try (Stream<Path> controllers = Files.list(CGROUPS)) {
            for (Path controller : controllers.toList()) {
                Path group = controller.resolve(parent);
                if (!Files.isDirectory(group)) {
                    continue;
                }
                try (Stream<Path> tree = Files.walk(group)) {
                    for (Path dir : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(dir);
                    }
                }
            }
        } catch (IOException e) {
            console.unchanged("node " + node + ": cgroup " + parent + " left behind: " + e.getMessage());
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new BootstrapException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }

    private static boolean forwardRulePresent() {
        return HostCommand.succeeds(forwardRule("-C"));
    }

    private static String[] forwardRule(String action) {
        return new String[] {"iptables", action, "FORWARD", "-i", LabLayout.BRIDGE, "-o", LabLayout.BRIDGE, "-m",
            "comment", "--comment", LabLayout.FORWARD_COMMENT, "-j", "ACCEPT"};
    }

    private static boolean blackholePresent() {
        return !HostCommand.run("ip", "route", "show", "type", "blackhole", LabLayout.POOL).isEmpty();
    }

    private static Path netnsPath(int node) {
        return Path.of("/run/netns", LabLayout.netns(node));
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "(empty)" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
