package io.swarmgate.discovery;

import static io.swarmgate.discovery.testing.TestSwarm.labels;
import static io.swarmgate.discovery.testing.TestSwarm.uniqueName;
import static org.awaitility.Awaitility.await;

import io.swarmgate.discovery.testing.DiscoveryUnderTest;
import io.swarmgate.discovery.testing.DockerApiFaults;
import io.swarmgate.discovery.testing.TestSwarm;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Discovery through a fault injector in front of the real engine: the event stream cut, the API answering 500. The
 * routes stay as they were during the fault and converge once the API answers again.
 */
class DockerFaultsTest {
    @RegisterExtension
    static final TestSwarm swarm = new TestSwarm();

    @RegisterExtension
    final DiscoveryUnderTest discovery = new DiscoveryUnderTest();
    private DockerApiFaults faults;

    @BeforeEach
    void startFaultInjector() throws IOException {
        faults = DockerApiFaults.inFrontOf(TestSwarm.dockerHost());
    }

    @AfterEach
    void stopFaultInjector() {
        faults.close();
    }

    private void startDiscovery(Duration resyncInterval) {
        discovery.start(faults.dockerHost(), resyncInterval);
    }

    private boolean routes(String name) {
        return discovery.stored(name).isPresent();
    }

    @Test
    void catchesUpWithWhatChangedWhileTheEventStreamWasBroken() {
        startDiscovery(Duration.ofMinutes(10)); // no periodic listing within the test: reopening the stream must do
        faults.answer500(); // cuts the stream; reopening fails until recovery
        String name = uniqueName("missed");
        swarm.create(name, labels("servicePath", "/" + name, "port", "8080"));

        faults.recover();

        // The first reopening comes after 1 s of back-off, the next after 2 more.
        await().atMost(Duration.ofSeconds(6)).until(() -> routes(name));
    }

    @Test
    void keepsTheRoutesWhileTheApiFailsAndConvergesWhenItRecovers() {
        startDiscovery(Duration.ofMillis(200));
        String kept = uniqueName("kept");
        String id = swarm.create(kept, labels("servicePath", "/" + kept, "port", "8080"));
        await().atMost(Duration.ofSeconds(2)).until(() -> routes(kept));

        faults.answer500();
        swarm.remove(id);
        String added = uniqueName("added");
        swarm.create(added, labels("servicePath", "/" + added, "port", "8080"));

        // Several failed listings later, the last good routes still stand.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> routes(kept) && !routes(added));

        faults.recover();

        await().atMost(Duration.ofSeconds(2)).until(() -> !routes(kept) && routes(added));
    }
}
