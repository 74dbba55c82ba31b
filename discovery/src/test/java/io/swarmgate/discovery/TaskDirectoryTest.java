package io.swarmgate.discovery;

import static io.swarmgate.discovery.testing.TestSwarm.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.discovery.docker.DockerEngine;
import io.swarmgate.discovery.testing.DiscoveryUnderTest;
import io.swarmgate.discovery.testing.TestSwarm;
import io.swarmgate.discovery.docker.DockerEngine;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The task directory against the test bed's swarm, with the overlay {@code proxy} named as the proxy's network (the
 * tests run on the host, outside any container): its addresses follow scaling and a killed task's replacement, equal
 * what {@code tasks.<service>} resolves to inside a container on that network. (That they stay while the tasks API
 * fails is in {@link DockerFaultsTest}.) The periodic listing is set far beyond each test, so only events, failure
 * reports and the directory's own polling can do the work.
 */
class TaskDirectoryTest {
    private static final Duration NO_RESYNC = Duration.ofMinutes(10);
    /** A busybox task starts in one to three seconds here; a loaded machine gets more. */
    private static final Duration TASKS_START = Duration.ofSeconds(20);

    @RegisterExtension
    static final TestSwarm swarm = new TestSwarm();

    @RegisterExtension
    final DiscoveryUnderTest discovery = new DiscoveryUnderTest();

    private final TaskDirectory directory = new TaskDirectory(List.of("proxy"));
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    @Test
    void followsScalingAndAgreesWithSwarmsDns() throws InterruptedException {
        directory.watch(reported::add);
        discovery.start(TestSwarm.dockerHost(), NO_RESYNC, directory);
        String name = uniqueName("scaled");
        String id = swarm.create(name, Map.of());
        await().atMost(TASKS_START).until(() -> addresses(name).size() == 1);
        assertThat(reported).as("services the data plane was told of").contains(name);
        assertThat(addresses(name)).isEqualTo(swarm.resolvedInside(name));

        swarm.scale(id, 3);
        await().atMost(TASKS_START).until(() -> addresses(name).size() == 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> addresses(name).equals(swarm.resolvedInside(name)));

        swarm.scale(id, 1);
        await().atMost(TASKS_START).until(() -> addresses(name).size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> addresses(name).equals(swarm.resolvedInside(name)));
    }

    @Test
    void followsAKilledTaskThroughNetworkEvents() throws InterruptedException {
        discovery.start(TestSwarm.dockerHost(), NO_RESYNC, directory);
        String name = uniqueName("killed");
        swarm.create(name, Map.of());
        await().atMost(TASKS_START).until(() -> addresses(name).size() == 1);
        List<String> before = addresses(name);

        // No service event comes: Swarm replaces the task on its own; its container leaves and joins the network.
        swarm.killOneTask(name);

        await().atMost(TASKS_START).until(() -> addresses(name).size() == 1 && !addresses(name).equals(before));
        assertThat(addresses(name)).isEqualTo(swarm.resolvedInside(name));
    }

    @Test
    void looksAgainWhenARequestToATaskFailsWithoutAnyEvent() throws Exception {
        String name = uniqueName("failing");
        swarm.create(name, Map.of());
        ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor();
        try (DockerEngine engine = DockerEngine.connect(TestSwarm.dockerHost())) {
            // The tracker alone, without discovery's event stream: nothing but the failure report tells it of a change.
            TaskTracker tracker = new TaskTracker(engine, directory,
                    new ProxyNetworks(List.of("proxy"), Path.of("/nonexistent"), ""), worker);
            directory.onFailure(service -> worker.execute(() -> tracker.failed(service)));
            await().atMost(TASKS_START).until(() -> {
                worker.submit(() -> tracker.listed(engine.services(), false)).get();
                return addresses(name).size() == 1;
            });
            List<String> before = addresses(name);

            swarm.killOneTask(name);
            directory.failed(name); // what the data plane reports once requests to the dead task fail

            await().atMost(TASKS_START).until(() -> addresses(name).size() == 1 && !addresses(name).equals(before));
            // The tasks API may name the new task before its container runs: until then there is none to ask inside.
            await().atMost(TASKS_START).ignoreExceptions()
                    .untilAsserted(() -> assertThat(addresses(name)).isEqualTo(swarm.resolvedInside(name)));
        } finally {
            worker.shutdownNow();
        }
    }

    @Test
    void leavesEveryServiceToDnsOutsideAContainerWithoutNamedNetworks() {
        TaskDirectory unnamed = new TaskDirectory(List.of());
        discovery.start(TestSwarm.dockerHost(), NO_RESYNC, unnamed);
        String name = uniqueName("dns");
        swarm.create(name, Map.of());

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> unnamed.running(name).isEmpty());
    }

    /** The directory's addresses for the service, sorted; empty when it does not know it. */
    private List<String> addresses(String service) {
        return addresses(directory, service);
    }

    static List<String> addresses(TaskDirectory directory, String service) {
        return directory.running(service).orElse(List.of()).stream().map(InetAddress::getHostAddress).sorted()
                .toList();
    }
}
