package io.swarmgate.discovery;

import static io.swarmgate.discovery.TaskDirectoryTest.addresses;
import static io.swarmgate.discovery.testing.TestSwarm.labels;
import static io.swarmgate.discovery.testing.TestSwarm.uniqueName;
import static org.awaitility.Awaitility.await;

import io.swarmgate.discovery.testing.DiscoveryUnderTest;
import io.swarmgate.discovery.testing.DockerApiFaults;
import io.swarmgate.discovery.testing.TestSwarm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Discovery through WireMock in front of the real engine: the event stream cut, the API answering 500 or resetting
 * connections. The routes, and the task directory's addresses, stay as they were during the fault and converge once
 * the API answers again.
 */
class DockerFaultsTest {
    @RegisterExtension
    static final TestSwarm swarm = new TestSwarm();

    // Before discovery, so that discovery is closed first and never sees the stand-in go away.
    @RegisterExtension
    final DockerApiFaults faults = new DockerApiFaults();

    @RegisterExtension
    final DiscoveryUnderTest discovery = new DiscoveryUnderTest();

    private void startDiscovery(Duration resyncInterval) {
        discovery.start(faults.dockerHost(), resyncInterval);
    }

    private boolean routes(String name) {
        return discovery.stored(name).isPresent();
    }

    @Test
    void catchesUpWithWhatChangedWhileTheEventStreamWasBroken() {
        startDiscovery(Duration.ofMinutes(10)); // no periodic listing within the test: reopening the stream must do
        faults.inject(DockerApiFaults.Kind.SERVER_ERROR);
        String name = uniqueName("missed");
        swarm.create(name, labels("servicePath", "/" + name, "port", "8080"));
        // The open stream is cut; reopening it fails at least once while the fault lasts.
        await().atMost(Duration.ofSeconds(5)).until(faults::eventStreamRefused);

        faults.recover();

        // The next reopening comes after at most 4 s of back-off, and lists the services.
        await().atMost(Duration.ofSeconds(6)).until(() -> routes(name));
    }

    @Test
    void keepsTheLastTaskAddressesWhileTheTasksApiFails() {
        TaskDirectory directory = new TaskDirectory(List.of("proxy"));
        discovery.start(faults.dockerHost(), Duration.ofMillis(200), directory);
        String name = uniqueName("tasks");
        String id = swarm.create(name, Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> addresses(directory, name).size() == 1);
        List<String> before = addresses(directory, name);

        faults.injectIntoTasks(DockerApiFaults.Kind.SERVER_ERROR);
        swarm.scale(id, 2);

        // Several failed listings later, the last addresses still stand.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> addresses(directory, name).equals(before));

        faults.recover();

        await().atMost(Duration.ofSeconds(20)).until(() -> addresses(directory, name).size() == 2);
    }

    @ParameterizedTest
    @EnumSource(DockerApiFaults.Kind.class)
    void keepsTheRoutesWhileTheApiFailsAndConvergesWhenItRecovers(DockerApiFaults.Kind fault) {
        startDiscovery(Duration.ofMillis(200));
        String kept = uniqueName("kept");
        String id = swarm.create(kept, labels("servicePath", "/" + kept, "port", "8080"));
        await().atMost(Duration.ofSeconds(2)).until(() -> routes(kept));

        faults.inject(fault);
        swarm.remove(id);
        String added = uniqueName("added");
        swarm.create(added, labels("servicePath", "/" + added, "port", "8080"));

        // Several failed listings later, the last good routes still stand.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> routes(kept) && !routes(added));

        faults.recover();

        await().atMost(Duration.ofSeconds(2)).until(() -> !routes(kept) && routes(added));
    }
}
