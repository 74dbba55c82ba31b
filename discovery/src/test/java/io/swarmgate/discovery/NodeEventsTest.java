package io.swarmgate.discovery;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.SwarmNode;
import io.swarmgate.discovery.testing.DiscoveryUnderTest;
import io.swarmgate.discovery.testing.IsolatedEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node's change (in a cluster: a node down, drained or back; here: its labels) lists every service and reads every
 * task again, since its tasks may be gone and no task event says so. On an engine of the test's own, where nothing
 * else happens, so that only the node's event can cause the listing; the periodic one is set far beyond the test.
 */
class NodeEventsTest {
    @RegisterExtension
    static final IsolatedEngine engine = new IsolatedEngine();

    @RegisterExtension
    final DiscoveryUnderTest discovery = new DiscoveryUnderTest();

    @Test
    void aNodeChangeListsEveryServiceAndTaskAgain() {
        discovery.start(engine.dockerHost(), Duration.ofMinutes(10), new TaskDirectory(List.of("ingress")));
        AtomicLong requests = new AtomicLong(-1);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1))
                .until(() -> requests.getAndSet(discovery.status().dockerRequests())
                        == discovery.status().dockerRequests()); // the listing made as the event stream opened
        Instant listed = discovery.status().lastListing();

        SwarmNode node = engine.client().listSwarmNodesCmd().exec().get(0);
        Map<String, String> labels = new HashMap<>(node.getSpec().getLabels() == null ? Map.of()
                : node.getSpec().getLabels());
        labels.put("io.swarmgate.test", "node-event");
        engine.client().updateSwarmNodeCmd().withSwarmNodeId(node.getId()).withVersion(node.getVersion().getIndex())
                .withSwarmNodeSpec(node.getSpec().withLabels(labels)).exec();

        await().atMost(Duration.ofSeconds(5)).until(() -> discovery.status().lastListing().isAfter(listed));
    }
}
