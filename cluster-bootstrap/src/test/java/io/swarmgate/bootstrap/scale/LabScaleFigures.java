package io.swarmgate.bootstrap.scale;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.SwarmNode;
import com.github.dockerjava.api.model.SwarmNodeState;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import io.swarmgate.bootstrap.ToolRun;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.lab.LabLayout;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The figures of {@code bench/lab/swarm-at-scale.sh} on the three-node lab, set up as {@code SwarmLabIT} does it
 * (lab, swarm, networks, registry, Swarmgate as 3 replicas with host-mode ports, the go-demo app with 3 replicas):
 * rolling updates of go-demo under load through the three replicas, label changes timed until every replica routes
 * them, a node cut off the bridge and back, and a node killed under load. Traffic goes only to the lab nodes'
 * addresses on the lab bridge.
 *
 * <p>Arguments: swarmgate.jar, rolling updates, label changes, load clients, kill a node (true/false), link cuts,
 * each cut's length in seconds, the report's path without extension. The lab is left up when the system property
 * {@code keepLab} is true.
 */
public final class LabScaleFigures {
    private static final String APP = "go-demo";
    private static final String PROXY = "proxy";
    private static final int NODES = 3;
    private static final int REPLICAS = 3;
    private static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(30);

    private final StringBuilder report = new StringBuilder();
    private final Engine manager;

    private LabScaleFigures(Engine manager) {
        this.manager = manager;
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        int updates = Integer.parseInt(args[1]);
        int changes = Integer.parseInt(args[2]);
        int clients = Integer.parseInt(args[3]);
        boolean killNode = Boolean.parseBoolean(args[4]);
        int cuts = Integer.parseInt(args[5]);
        Duration cutFor = Duration.ofSeconds(Long.parseLong(args[6]));
        Path out = Path.of(args[7]);
        String loadBefore = loadAverage();
        labUp(jar);
        try (Engine manager = Engine.connect(LabLayout.engine(1))) {
            LabScaleFigures figures = new LabScaleFigures(manager);
            figures.line("# Swarm at scale on the three-node lab, " + Instant.now());
            figures.line("");
            figures.line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, shared with other "
                    + "jobs (other helpers' builds and tests). Load average (1, 5, 15 min) before the lab came up: "
                    + loadBefore + ".");
            figures.line("Lab: 3 engines in network namespaces (all managers), Swarmgate as 3 replicas (host-mode "
                    + "port 80, one per node, discovery from each node's own engine), go-demo: 3 busybox httpd "
                    + "replicas, update order start-first, parallelism 1, delay 2 s. Load: " + clients
                    + " clients, each one GET after the other over keep-alive, to the 3 nodes' addresses in turn.");
            figures.line("");
            if (updates > 0) {
                figures.rollingUpdates(updates, clients);
            }
            if (changes > 0) {
                figures.routeChanges(changes);
            }
            if (cuts > 0) {
                figures.linkCuts(cuts, cutFor);
            }
            if (killNode) {
                figures.nodeLost(clients);
            }
            figures.line("Load average at the end: " + loadAverage() + ".");
            Files.writeString(Path.of(out + ".md"), figures.report);
            System.out.print(figures.report);
        } finally {
            if (!Boolean.getBoolean("keepLab")) {
                ToolRun.of("lab", "down");
            }
        }
    }

    private void rollingUpdates(int updates, int clients) throws InterruptedException {
        List<Long> durations = new ArrayList<>();
        LoadLoop.Result load;
        long retries;
        try (ProxyReplicas proxies = new ProxyReplicas(PROXY, NODES)) {
            long retriesBefore = proxies.retries(APP);
            LoadLoop loop = LoadLoop.start(nodeUris("/demo/hello"), clients, LabScaleFigures::fromApp,
                    Long.MAX_VALUE, UPDATE_TIMEOUT.multipliedBy(updates + 1L));
            try {
                for (int update = 1; update <= updates; update++) {
                    durations.add(RollingUpdates.force(manager, APP, REPLICAS, UPDATE_TIMEOUT).toMillis());
                    System.out.printf("update %d/%d: %d ms; load so far %d requests, %d failed%n", update, updates,
                            durations.get(durations.size() - 1), loop.sent(), loop.failed());
                }
            } finally {
                load = loop.stop();
            }
            retries = proxies.retries(APP) - retriesBefore;
        }
        line("## " + updates + " rolling updates under load");
        line("");
        line("| updates | requests | req/s | failed | slowest request | retries (3 replicas) "
                + "| update took p50 / max |");
        line("|---|---|---|---|---|---|---|");
        line(String.format(Locale.ROOT, "| %d | %d | %.0f | %d | %d ms | %d | %.1f s / %.1f s |", updates,
                load.sent(), load.perSecond(), load.failed(), load.slowestMillis(), retries,
                percentile(durations, 0.5) / 1e3, percentile(durations, 1.0) / 1e3));
        line("");
        if (!load.failures().isEmpty()) {
            line("First failures: " + load.failures());
            line("");
        }
    }

    private void routeChanges(int changes) {
        RouteChanges steps = RouteChanges.create(manager, "stepper", PROXY, changes, NODES, CHANGE_TIMEOUT);
        List<Long> all = new ArrayList<>();
        List<Long> spreads = new ArrayList<>();
        int disagreements = 0;
        try (ProxyReplicas proxies = new ProxyReplicas(PROXY, NODES)) {
            for (int step = 1; step <= changes; step++) {
                long[] routed = Arrays.stream(steps.change(step, CHANGE_TIMEOUT)).mapToLong(Duration::toMillis)
                        .toArray();
                Arrays.stream(routed).forEach(all::add);
                spreads.add(Arrays.stream(routed).max().orElseThrow() - Arrays.stream(routed).min().orElseThrow());
                List<String> versions = proxies.versions();
                if (versions.stream().distinct().count() != 1) {
                    disagreements++;
                    System.out.println("change " + step + ": versions differ once all route it: " + versions);
                }
                System.out.println("change " + step + ": routed by the nodes after " + Arrays.toString(routed)
                        + " ms");
            }
        } finally {
            steps.remove();
        }
        line("## " + changes + " label changes, each until every replica routes it");
        line("");
        line("Time from the service update's request to the first answer on the new path through each node's "
                + "replica (" + all.size() + " times); spread = last replica minus first, per change; then each "
                + "replica's `config/version`, read once all three route the change.");
        line("");
        line("| changes | p50 | p99 | max | spread p50 / p99 / max | versions differing after a change |");
        line("|---|---|---|---|---|---|");
        line(String.format(Locale.ROOT, "| %d | %d ms | %d ms | %d ms | %d / %d / %d ms | %d |", changes,
                percentile(all, 0.5), percentile(all, 0.99), percentile(all, 1.0), percentile(spreads, 0.5),
                percentile(spreads, 0.99), percentile(spreads, 1.0), disagreements));
        line("");
    }

    /**
     * Cuts a node off the bridge ({@code lab partition}), changes a route meanwhile, restores the link and times,
     * from the link's return, until node 1's engine lists the services (it fails while the swarm has no leader; the
     * returning node's election may come later still), until the cut node's replica has the others'
     * {@code config/version}, and until the change is routed through that node.
     */
    private void linkCuts(int cuts, Duration cutFor) throws InterruptedException {
        RouteChanges route = RouteChanges.create(manager, "cutover", PROXY, cuts, NODES, CHANGE_TIMEOUT);
        List<Long> listing = new ArrayList<>();
        List<Long> converged = new ArrayList<>();
        List<Long> routed = new ArrayList<>();
        try (ProxyReplicas proxies = new ProxyReplicas(PROXY, NODES)) {
            for (int step = 1; step <= cuts; step++) {
                awaitSwarmSettled();
                int cut = LinkCuts.nodeToCut(manager, "cutover", NODES);
                List<Integer> others = IntStream.rangeClosed(1, NODES).filter(node -> node != cut).boxed().toList();
                long cutAt = System.nanoTime();
                ToolRun.of("lab", "partition", String.valueOf(cut));
                try {
                    route.change(step, others, CHANGE_TIMEOUT);
                    // The cut's length is what is measured against: it is held, not awaited.
                    Thread.sleep(Math.max(0, cutFor.toMillis() - (System.nanoTime() - cutAt) / 1_000_000));
                } finally {
                    ToolRun.of("lab", "heal", String.valueOf(cut));
                }
                long healed = System.nanoTime();
                await("node 1 listing the services").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                        .ignoreExceptions().until(() -> manager.api().listServicesCmd().exec() != null);
                listing.add((System.nanoTime() - healed) / 1_000_000);
                await("node " + cut + "'s config/version equal to the others'").atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .until(() -> Set.copyOf(proxies.versions()).size() == 1);
                converged.add((System.nanoTime() - healed) / 1_000_000);
                route.routed(step, List.of(cut), Duration.ofMinutes(3));
                routed.add((System.nanoTime() - healed) / 1_000_000);
                System.out.printf("cut %d/%d (node %d, %d s): from the link's return, node 1 lists after %d ms, "
                        + "versions equal after %d ms, routed through node %d after %d ms%n", step, cuts, cut,
                        cutFor.toSeconds(), listing.get(step - 1), converged.get(step - 1), cut, routed.get(step - 1));
            }
        } finally {
            route.remove();
        }
        line("## " + cuts + " link cuts of " + cutFor.toSeconds() + " s");
        line("");
        line("`lab partition N` (the node's veth down: its engine and Swarmgate run on, cut off the others) on a node "
                + "that neither leads the swarm nor runs the routed service's task; a label change while it is cut, "
                + "routed by the two others; then `lab heal N`. Times from the link's return, p50 / max.");
        line("");
        line("| cuts | cut | node 1's engine lists services | cut node's config/version equal "
                + "| change routed through it |");
        line("|---|---|---|---|---|");
        line(String.format(Locale.ROOT, "| %d | %d s | %d / %d ms | %d / %d ms | %d / %d ms |", cuts,
                cutFor.toSeconds(), percentile(listing, 0.5), percentile(listing, 1.0), percentile(converged, 0.5),
                percentile(converged, 1.0), percentile(routed, 0.5), percentile(routed, 1.0)));
        line("");
    }

    /** Every node Ready and a leader: a cut made earlier can leave the swarm electing for a while. */
    private void awaitSwarmSettled() {
        await("3 nodes Ready and a leader").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> {
                    List<SwarmNode> nodes = manager.api().listSwarmNodesCmd().exec();
                    return nodes.stream().filter(node -> node.getStatus().getState() == SwarmNodeState.READY)
                            .count() == NODES && nodes.stream().anyMatch(node -> node.getManagerStatus() != null
                            && node.getManagerStatus().isLeader());
                });
    }

    private void nodeLost(int clients) throws InterruptedException {
        String node3 = manager.api().listSwarmNodesCmd().exec().stream()
                .filter(node -> node.getDescription().getHostname().equals(LabLayout.hostname(NODES)))
                .findFirst().orElseThrow().getId();
        long tasksThere = running().stream().filter(task -> node3.equals(task.getNodeId())).count();
        List<URI> survivors = IntStream.range(1, NODES).mapToObj(node -> URI.create("http://"
                + LabLayout.address(node) + "/demo/hello")).toList();
        ProxyReplicas proxies = new ProxyReplicas(PROXY, NODES - 1);
        long retriesBefore = proxies.retries(APP);
        long ejectionsBefore = proxies.ejections(APP);
        LoadLoop loop = LoadLoop.start(survivors, clients, LabScaleFigures::fromApp, Long.MAX_VALUE,
                Duration.ofMinutes(3));
        await("some load before the kill").atMost(Duration.ofSeconds(30)).until(() -> loop.sent() > 1000);
        long killedAt = loop.elapsedMillis();
        ToolRun.of("lab", "kill-node", String.valueOf(NODES));
        long[] downAt = {-1};
        await(APP + " runs " + REPLICAS + " tasks off node " + NODES).atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    if (downAt[0] < 0 && nodeState(node3) == SwarmNodeState.DOWN) {
                        downAt[0] = loop.elapsedMillis();
                    }
                    return running().stream().filter(task -> !node3.equals(task.getNodeId())).count() == REPLICAS;
                });
        long rescheduledAt = loop.elapsedMillis();
        long sentThen = loop.sent();
        await("load after the rescheduling").atMost(Duration.ofSeconds(30)).until(() -> loop.sent() > sentThen + 2000);
        LoadLoop.Result load = loop.stop();
        long retries = proxies.retries(APP) - retriesBefore;
        long ejections = proxies.ejections(APP) - ejectionsBefore;
        proxies.close();
        line("## Node " + NODES + " killed under load (" + tasksThere + " of go-demo's tasks on it)");
        line("");
        line("`lab kill-node " + NODES + "` (SIGKILL to its engine, containerd and containers) while " + clients
                + " clients load Swarmgate on nodes 1 and 2. Times from the kill.");
        line("");
        line("| requests | failed | last failure | node Down in Swarm | tasks rescheduled | slowest request "
                + "| retries, ejections (nodes 1, 2) |");
        line("|---|---|---|---|---|---|---|");
        line(String.format(Locale.ROOT, "| %d | %d | %s | %.1f s | %.1f s | %d ms | %d, %d |", load.sent(),
                load.failed(),
                load.lastFailureMillis() < 0 ? "none" : String.format(Locale.ROOT, "%.1f s",
                        (load.lastFailureMillis() - killedAt) / 1e3),
                downAt[0] < 0 ? Double.NaN : (downAt[0] - killedAt) / 1e3, (rescheduledAt - killedAt) / 1e3,
                load.slowestMillis(), retries, ejections));
        line("");
        if (!load.failures().isEmpty()) {
            line("First failures: " + load.failures());
            line("");
        }
        ToolRun.of("lab", "up", "--nodes", String.valueOf(NODES));
    }

    private SwarmNodeState nodeState(String id) {
        return manager.api().listSwarmNodesCmd().exec().stream().filter(node -> node.getId().equals(id))
                .map(SwarmNode::getStatus).map(status -> status.getState()).findFirst().orElseThrow();
    }

    private List<Task> running() {
        return manager.api().listTasksCmd().withServiceFilter(APP).exec().stream()
                .filter(task -> task.getDesiredState() == TaskState.RUNNING
                        && task.getStatus().getState() == TaskState.RUNNING)
                .toList();
    }

    private static void labUp(Path jar) {
        Path stackFile = Path.of(System.getProperty("java.io.tmpdir"), "swarm-at-scale-stack.yml");
        for (String[] step : List.of(new String[] {"lab", "up", "--nodes", String.valueOf(NODES)},
                new String[] {"cluster", "up", "--lab"},
                new String[] {"network", "--lab", "--app", APP},
                new String[] {"registry", "--lab"},
                new String[] {"proxy", "deploy", "--lab", "--jar", jar.toString(), "--image",
                    LabLayout.address(1) + ":5000/swarmgate:lab-test", "--stack-file", stackFile.toString()},
                new String[] {"app", "deploy", "--lab"})) {
            if (ToolRun.of(step).exitCode() != 0) {
                throw new IllegalStateException("failed: swarmgate-bootstrap " + String.join(" ", step));
            }
        }
        for (URI uri : nodeUris("/demo/hello")) {
            await("Swarmgate at " + uri).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> LoadLoop.start(List.of(uri), 1, LabScaleFigures::fromApp, 1, Duration.ofSeconds(5))
                            .stop().failed() == 0);
        }
    }

    public static List<URI> nodeUris(String path) {
        return IntStream.rangeClosed(1, NODES).mapToObj(node -> URI.create("http://" + LabLayout.address(node)
                + path)).toList();
    }

    public static boolean fromApp(String answer) {
        return answer.startsWith("200 hello from ");
    }

    /** The value at quantile {@code q} (nearest rank); 0 for no values. */
    static long percentile(List<Long> values, double q) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(Math.max(0, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + ", " + fields[1] + ", " + fields[2];
    }

    private void line(String text) {
        report.append(text).append('\n');
    }
}
