package io.swarmgate.discovery.testing;

import static org.awaitility.Awaitility.await;

import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.discovery.DiscoveryObserver;
import io.swarmgate.discovery.DiscoverySettings;
import io.swarmgate.discovery.SwarmDiscovery;
import io.swarmgate.discovery.TaskDirectory;
import io.swarmgate.discovery.testing.TaskRemovals.Removal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The figures of {@code bench/load/task-removal.sh}: against the test bed's swarm, with discovery as the proxy runs it
 * (its default 15 s listing), how long a task takes to leave the task directory after Swarm decides to stop it in a
 * rolling update ({@code docker service update --force} of 3 replicas, one task at a time) and after {@code docker
 * kill} of its container, and how many requests discovery sends the Docker API, settled and meanwhile. Nothing is
 * sent to the tasks. Writes a markdown report and the raw removals as CSV.
 *
 * <p>Arguments: updates, kills, settled seconds, and the report's path without extension.
 */
public final class TaskRemovalFigures {
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    private static final Duration STEP = Duration.ofMinutes(2);
    private static final int REPLICAS = 3;

    private record Row(String kind, Removal removal) {
    }

    private TaskRemovalFigures() {
    }

    public static void main(String[] args) throws Exception {
        int updates = Integer.parseInt(args[0]);
        int kills = Integer.parseInt(args[1]);
        Duration settledFor = Duration.ofSeconds(Long.parseLong(args[2]));
        Path report = Path.of(args[3]);
        TestSwarm swarm = new TestSwarm();
        swarm.beforeAll(null); // outside JUnit: the extension's context is not used
        TaskDirectory directory = new TaskDirectory(List.of("proxy"));
        SwarmDiscovery discovery = SwarmDiscovery.startIfSwarmManager(
                DiscoverySettings.defaults(TestSwarm.dockerHost()), new ServiceRegistry(table -> { }),
                ReconfigureParameters.defaults(), DiscoveryObserver.NONE, directory).orElseThrow();
        String name = TestSwarm.uniqueName("bench");
        List<Row> rows = new ArrayList<>();
        try (TaskRemovals removals = new TaskRemovals(swarm.docker(), directory, name, "proxy")) {
            String id = swarm.createSlowToStop(name, REPLICAS, STOP_GRACE);
            awaitAllRunning(removals, directory, name, Set.of());
            awaitQuiet(discovery);

            long settledRequests = requests(discovery);
            Thread.sleep(settledFor.toMillis()); // a measuring window, not a wait for a condition
            double settledRate = rate(requests(discovery) - settledRequests, settledFor);

            Instant updatesStarted = Instant.now();
            long updateRequests = requests(discovery);
            for (int i = 0; i < updates; i++) {
                Set<String> old = removals.running().keySet();
                Instant command = Instant.now();
                swarm.forceUpdate(id);
                await().atMost(STEP.multipliedBy(REPLICAS)).until(() -> old.stream().allMatch(task ->
                        removals.exited(task) && removals.removalAfterDecision(task).isPresent()));
                old.forEach(task -> rows.add(new Row("update", removals.removalAfterDecision(task).orElseThrow())));
                old.stream().map(task -> removals.removal(task, command).orElseThrow())
                        .min(Comparator.comparing(Removal::removed))
                        .ifPresent(first -> rows.add(new Row("update-command", first)));
                awaitAllRunning(removals, directory, name, old);
                System.out.printf("update %d/%d done%n", i + 1, updates);
            }
            double updateRate = rate(requests(discovery) - updateRequests,
                    Duration.between(updatesStarted, Instant.now()));

            Instant killsStarted = Instant.now();
            long killRequests = requests(discovery);
            for (int i = 0; i < kills; i++) {
                Map.Entry<String, String> victim = removals.running().entrySet().iterator().next();
                Instant command = Instant.now();
                swarm.docker().killContainerCmd(victim.getValue()).exec();
                await().atMost(STEP).until(() -> removals.removal(victim.getKey(), command).isPresent());
                rows.add(new Row("kill", removals.removal(victim.getKey(), command).orElseThrow()));
                awaitAllRunning(removals, directory, name, Set.of(victim.getKey()));
                System.out.printf("kill %d/%d done%n", i + 1, kills);
            }
            double killRate = rate(requests(discovery) - killRequests,
                    Duration.between(killsStarted, Instant.now()));
            write(report, rows, settledFor, settledRate, updateRate, killRate);
        } finally {
            discovery.close();
            swarm.afterEach(null); // removes the service
        }
    }

    /** Waits until the service runs all its replicas, none of {@code gone}, and the directory has them all. */
    private static void awaitAllRunning(TaskRemovals removals, TaskDirectory directory, String name,
                                        Set<String> gone) {
        await().atMost(STEP).until(() -> removals.running().size() == REPLICAS
                && removals.running().keySet().stream().noneMatch(gone::contains)
                && directory.running(name).map(List::size).orElse(0) == REPLICAS);
    }

    /** Waits until discovery has sent no request for 2 s: it watches the new service no more. */
    private static void awaitQuiet(SwarmDiscovery discovery) {
        AtomicLong last = new AtomicLong(-1);
        await().atMost(STEP).pollInterval(Duration.ofSeconds(2))
                .until(() -> last.getAndSet(requests(discovery)) == requests(discovery));
    }

    private static long requests(SwarmDiscovery discovery) {
        return discovery.status().dockerRequests();
    }

    private static double rate(long requests, Duration over) {
        return requests * 1000.0 / over.toMillis();
    }

    private static void write(Path report, List<Row> rows, Duration settledFor, double settledRate,
                              double updateRate, double killRate) throws IOException {
        StringBuilder csv = new StringBuilder("kind,task,reference,removed,signalled,exited,latency_ms\n");
        for (Row row : rows) {
            Removal r = row.removal();
            csv.append(String.join(",", row.kind(), r.taskId(), r.reference().toString(), r.removed().toString(),
                    String.valueOf(r.signalled()), String.valueOf(r.exited()),
                    String.valueOf(r.latency().toMillis()))).append('\n');
        }
        Files.writeString(Path.of(report + ".csv"), csv);
        List<Removal> updates = of(rows, "update");
        List<Removal> kills = of(rows, "kill");
        List<Removal> all = new ArrayList<>(updates);
        all.addAll(kills);
        StringBuilder md = new StringBuilder("# Task removal from rotation\n\n")
                .append("Test bed swarm (one node), discovery with its defaults (listing every 15 s), a ")
                .append(REPLICAS).append("-replica dnsrr service of busybox httpd, stop grace period ")
                .append(STOP_GRACE.toSeconds()).append(" s; times from the task directory's change callback.\n\n")
                .append("| what | n | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|\n");
        line(md, "rolling update: Swarm's decision (task UpdatedAt) → removal", updates, Removal::latency);
        line(md, "rolling update: `service update` command → first task's removal", of(rows, "update-command"),
                Removal::latency);
        line(md, "`docker kill` command → removal", kills, Removal::latency);
        line(md, "all " + all.size() + " events: decision or kill → removal", all, Removal::latency);
        line(md, "rolling update: removal → container's first signal (SIGTERM)", updates,
                r -> Duration.between(r.removed(), r.signalled()));
        line(md, "rolling update: removal → container's exit", updates,
                r -> Duration.between(r.removed(), r.exited()));
        line(md, "`docker kill`: container's exit (`die` event) → removal", kills,
                r -> Duration.between(r.exited(), r.removed()));
        long afterExit = updates.stream().filter(r -> !r.beforeExit()).count();
        md.append(String.format(Locale.ROOT, "%nRolling updates: %d of %d tasks left rotation after their container "
                        + "exited.%n%n", afterExit, updates.size()))
                .append("| Docker API requests/s | |\n|---|---|\n")
                .append(String.format(Locale.ROOT, "| settled (%d s, listings included) | %.2f |%n",
                        settledFor.toSeconds(), settledRate))
                .append(String.format(Locale.ROOT, "| during the rolling updates | %.1f |%n", updateRate))
                .append(String.format(Locale.ROOT, "| during the kills and replacements | %.1f |%n", killRate));
        Files.writeString(Path.of(report + ".md"), md);
        System.out.print(md);
    }

    private static List<Removal> of(List<Row> rows, String kind) {
        return rows.stream().filter(row -> row.kind().equals(kind)).map(Row::removal).toList();
    }

    private static void line(StringBuilder md, String what, List<Removal> removals,
                             Function<Removal, Duration> measure) {
        ToLongFunction<Removal> millis = r -> measure.apply(r).toMillis();
        long[] sorted = removals.stream().mapToLong(millis).sorted().toArray();
        if (sorted.length == 0) {
            return;
        }
        md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d |%n", what, sorted.length,
                percentile(sorted, 50), percentile(sorted, 99), sorted[sorted.length - 1]));
    }

    /** Nearest rank. */
    private static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
