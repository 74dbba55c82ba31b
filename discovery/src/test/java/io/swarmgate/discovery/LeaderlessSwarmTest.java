package io.swarmgate.discovery;

import static io.swarmgate.discovery.testing.TestSwarm.labels;
import static io.swarmgate.discovery.testing.TestSwarm.uniqueName;
import static org.awaitility.Awaitility.await;

import io.swarmgate.discovery.testing.DiscoveryUnderTest;
import io.swarmgate.discovery.testing.DockerApiFaults;
import io.swarmgate.discovery.testing.TestSwarm;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A swarm that refuses reads while its engine's event stream stays open, as one without a leader does (a manager cut
 * off and back calls an election): a failed listing is made again within seconds, not at the next resync interval.
 */
class LeaderlessSwarmTest {
    @RegisterExtension
    static final TestSwarm swarm = new TestSwarm();

    // Streams that stay open through the test: no reopening lists the services meanwhile.
    @RegisterExtension
    final DockerApiFaults faults = new DockerApiFaults(Duration.ofSeconds(20));

    @RegisterExtension
    final DiscoveryUnderTest discovery = new DiscoveryUnderTest();

    @Test
    void aListingThatFailedIsMadeAgainWithinSecondsOfTheSwarmAnsweringAgain() {
        faults.injectIntoServices(DockerApiFaults.Kind.SERVER_ERROR);
        String name = uniqueName("leaderless");
        swarm.create(name, labels("servicePath", "/" + name, "port", "8080"));
        discovery.start(faults.dockerHost(), Duration.ofMinutes(10));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> discovery.stored(name).isEmpty());

        faults.recover();

        // The tries come 1, 2, then 4 s apart: the first after the recovery lists the service.
        await().atMost(Duration.ofSeconds(5)).until(() -> discovery.stored(name).isPresent());
    }
}
