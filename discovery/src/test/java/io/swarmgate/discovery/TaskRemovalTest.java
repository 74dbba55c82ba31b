package io.swarmgate.discovery;

import static io.swarmgate.discovery.testing.TestSwarm.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.discovery.testing.DiscoveryUnderTest;
import io.swarmgate.discovery.testing.TaskRemovals;
import io.swarmgate.discovery.testing.TaskRemovals.Removal;
import io.swarmgate.discovery.testing.TestSwarm;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tasks leave the task directory as soon as Swarm decides to stop them, before their containers exit, and as soon
 * as their container is stopped or killed behind Swarm's back, against the test bed's swarm: the directory's own
 * changes are timed against Swarm's decision (see {@link TaskRemovals}), and the Docker API requests discovery makes
 * are counted. The periodic listing is set far beyond each test. The figures are printed; the bounds asserted are
 * generous for a loaded 2-core machine (the aim is 100 ms).
 */
class TaskRemovalTest {
    private static final Duration NO_RESYNC = Duration.ofMinutes(10);
    /** Tasks start in a few seconds; a machine under other builds' load takes up to half a minute. */
    private static final Duration TASKS_START = Duration.ofSeconds(60);
    /** Long enough that a task's removal can be seen to come before its container's exit. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);
    /** After Swarm's decision, or after the {@code docker stop} that signalled the task's container. */
    private static final Duration REMOVED_WITHIN = Duration.ofMillis(500);
    /** After {@code docker kill}, whose own event comes 20-50 ms later, and up to 500 ms on a loaded machine. */
    private static final Duration REMOVED_AFTER_KILL_WITHIN = Duration.ofSeconds(1);
    /** 10 reads of the tasks and one of the specs a second, and listings after network events. */
    private static final double REQUESTS_PER_SECOND_IN_UPDATE = 20;

    @RegisterExtension
    static final TestSwarm swarm = new TestSwarm();

    @RegisterExtension
    final DiscoveryUnderTest discovery = new DiscoveryUnderTest();

    private final TaskDirectory directory = new TaskDirectory(List.of("proxy"));

    @Test
    void aRollingUpdateTakesEachOldTaskOutOfRotationBeforeItsContainerExits() throws Exception {
        String name = uniqueName("rolling");
        try (TaskRemovals removals = inRotation(name, 3)) {
            awaitNoRequestFor(Duration.ofSeconds(2)); // settled: nothing is read
            Set<String> old = removals.running().keySet();
            long requestsBefore = requests();
            Instant updated = Instant.now();

            swarm.forceUpdate(name);

            await().atMost(Duration.ofMinutes(2)).until(() -> old.stream()
                    .allMatch(task -> removals.exited(task) && removals.removalAfterDecision(task).isPresent()));
            double perSecond = (requests() - requestsBefore) * 1000.0
                    / Duration.between(updated, Instant.now()).toMillis();
            List<Removal> out = old.stream().map(task -> removals.removalAfterDecision(task).orElseThrow())
                    .sorted(Comparator.comparing(Removal::latency)).toList();
            System.out.printf("Task removal figure: rolling update of 3 tasks, decision to removal %s ms, removal "
                            + "to container exit %s ms; %.1f Docker API requests/s during the update%n",
                    out.stream().map(removal -> removal.latency().toMillis()).toList(),
                    out.stream().map(removal -> Duration.between(removal.removed(), removal.exited()).toMillis())
                            .toList(), perSecond);
            assertThat(out).allMatch(Removal::beforeExit, "left the directory before its container exited");
            assertThat(out).allMatch(removal -> removal.latency().compareTo(REMOVED_WITHIN) <= 0,
                    "left within " + REMOVED_WITHIN + " of Swarm's decision");
            assertThat(perSecond).isLessThanOrEqualTo(REQUESTS_PER_SECOND_IN_UPDATE);
        }
    }

    @Test
    void aKilledTaskLeavesRotationPromptly() throws Exception {
        String name = uniqueName("killed");
        try (TaskRemovals removals = inRotation(name, 2)) {
            Map.Entry<String, String> victim = removals.running().entrySet().iterator().next();
            Instant killed = Instant.now();

            swarm.docker().killContainerCmd(victim.getValue()).exec();

            await().atMost(TASKS_START).until(() -> removals.removal(victim.getKey(), killed).isPresent());
            Removal removal = removals.removal(victim.getKey(), killed).orElseThrow();
            System.out.printf("Task removal figure: docker kill to removal %d ms (to the kill event %d ms)%n",
                    removal.latency().toMillis(), Duration.between(killed, removal.signalled()).toMillis());
            assertThat(removal.latency()).isLessThanOrEqualTo(REMOVED_AFTER_KILL_WITHIN);
            // Swarm replaces it, and the directory follows without a service event.
            await().atMost(TASKS_START).until(() -> TaskDirectoryTest.addresses(directory, name).size() == 2);
        }
    }

    @Test
    void aTaskStoppedBehindSwarmsBackLeavesRotationBeforeItsContainerExits() throws Exception {
        String name = uniqueName("stopped");
        try (TaskRemovals removals = inRotation(name, 2)) {
            Map.Entry<String, String> victim = removals.running().entrySet().iterator().next();
            Instant stopped = Instant.now();

            // docker stop: SIGTERM, which httpd ignores, then SIGKILL after the timeout; Swarm knows only at the exit.
            CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> swarm.docker()
                    .stopContainerCmd(victim.getValue()).withTimeout((int) STOP_GRACE.toSeconds()).exec());

            await().atMost(TASKS_START).until(() -> removals.removal(victim.getKey(), stopped).isPresent());
            Removal removal = removals.removal(victim.getKey(), stopped).orElseThrow();
            stop.get(1, TimeUnit.MINUTES);
            await().atMost(TASKS_START).until(() -> removals.exited(victim.getKey()));
            Removal exited = removals.removal(victim.getKey(), stopped).orElseThrow();
            System.out.printf("Task removal figure: docker stop to removal %d ms, removal to container exit %d ms%n",
                    removal.latency().toMillis(), Duration.between(exited.removed(), exited.exited()).toMillis());
            assertThat(exited.beforeExit()).as("left the directory before its container exited").isTrue();
            assertThat(removal.latency()).isLessThanOrEqualTo(REMOVED_WITHIN);
        }
    }

    /**
     * Starts discovery, creates a service of {@code replicas} tasks slow to stop, and records its removals once they
     * run and the directory has them all.
     */
    private TaskRemovals inRotation(String name, int replicas) throws IOException {
        discovery.start(TestSwarm.dockerHost(), NO_RESYNC, directory);
        swarm.createSlowToStop(name, replicas, STOP_GRACE);
        TaskRemovals removals = new TaskRemovals(swarm.docker(), directory, name, "proxy");
        try {
            await().atMost(TASKS_START).until(() -> removals.running().size() == replicas
                    && TaskDirectoryTest.addresses(directory, name).size() == replicas);
            return removals;
        } catch (RuntimeException e) {
            removals.close();
            throw e;
        }
    }

    private long requests() {
        return discovery.status().dockerRequests();
    }

    /** Waits until discovery has sent the Docker API no request for {@code quiet}. */
    private void awaitNoRequestFor(Duration quiet) {
        AtomicLong last = new AtomicLong(-1);
        await().atMost(TASKS_START).pollInterval(quiet).until(() -> last.getAndSet(requests()) == requests());
    }
}
