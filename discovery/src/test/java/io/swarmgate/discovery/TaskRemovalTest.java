package io.swarmgate.discovery;

import static io.swarmgate.discovery.testing.TestSwarm.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.discovery.testing.DiscoveryUnderTest;
import io.swarmgate.discovery.testing.TaskRemovals;
import io.swarmgate.discovery.testing.TaskRemovals.Removal;
import io.swarmgate.discovery.testing.TestSwarm;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tasks leave the task directory as soon as Swarm decides to stop them, before their containers exit, against the
 * test bed's swarm: the directory's own changes are timed against Swarm's decision (see {@link TaskRemovals}), and
 * the Docker API requests discovery makes are counted. The periodic listing is set far beyond each test. The figures
 * are printed; the bounds asserted are generous for a loaded 2-core machine (the aim is 100 ms).
 */
class TaskRemovalTest {
    private static final Duration NO_RESYNC = Duration.ofMinutes(10);
    private static final Duration TASKS_START = Duration.ofSeconds(30);
    /** Long enough that a task's removal can be seen to come before its container's exit. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(3);
    /** After Swarm's decision, or after the command that killed the task's container. */
    private static final Duration REMOVED_WITHIN = Duration.ofMillis(500);
    /** 10 reads of the tasks and one of the specs a second, and listings after network events. */
    private static final double REQUESTS_PER_SECOND_IN_UPDATE = 20;

    @RegisterExtension
    static final TestSwarm swarm = new TestSwarm();

    @RegisterExtension
    final DiscoveryUnderTest discovery = new DiscoveryUnderTest();

    private final TaskDirectory directory = new TaskDirectory(List.of("proxy"));

    @Test
    void aRollingUpdateTakesEachOldTaskOutOfRotationBeforeItsContainerExits() throws Exception {
        discovery.start(TestSwarm.dockerHost(), NO_RESYNC, directory);
        String name = uniqueName("rolling");
        String id = swarm.createSlowToStop(name, 3, STOP_GRACE);
        try (TaskRemovals removals = new TaskRemovals(swarm.docker(), directory, name, "proxy")) {
            await().atMost(TASKS_START).until(() -> removals.running().size() == 3
                    && TaskDirectoryTest.addresses(directory, name).size() == 3);
            awaitNoRequestFor(Duration.ofSeconds(2)); // settled: nothing is read
            Set<String> old = removals.running().keySet();
            long requestsBefore = requests();
            Instant updated = Instant.now();

            swarm.forceUpdate(id);

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
        discovery.start(TestSwarm.dockerHost(), NO_RESYNC, directory);
        String name = uniqueName("killed");
        swarm.createSlowToStop(name, 2, STOP_GRACE);
        try (TaskRemovals removals = new TaskRemovals(swarm.docker(), directory, name, "proxy")) {
            await().atMost(TASKS_START).until(() -> removals.running().size() == 2
                    && TaskDirectoryTest.addresses(directory, name).size() == 2);
            Map.Entry<String, String> victim = removals.running().entrySet().iterator().next();
            Instant killed = Instant.now();

            swarm.docker().killContainerCmd(victim.getValue()).exec();

            await().atMost(TASKS_START).until(() -> removals.removal(victim.getKey(), killed).isPresent());
            Removal removal = removals.removal(victim.getKey(), killed).orElseThrow();
            System.out.printf("Task removal figure: docker kill to removal %d ms%n", removal.latency().toMillis());
            assertThat(removal.latency()).isLessThanOrEqualTo(REMOVED_WITHIN);
            // Swarm replaces it, and the directory follows without a service event.
            await().atMost(TASKS_START).until(() -> TaskDirectoryTest.addresses(directory, name).size() == 2);
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
