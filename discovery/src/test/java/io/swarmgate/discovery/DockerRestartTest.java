package io.swarmgate.discovery;

import static io.swarmgate.discovery.testing.TestSwarm.labels;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import io.swarmgate.discovery.testing.DiscoveryUnderTest;
import io.swarmgate.discovery.testing.IsolatedEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Docker engine itself stopped and started again (its own engine, not the shared test bed's): discovery keeps
 * routing while it is down and, once it is back, follows changes again without any help.
 */
class DockerRestartTest {
    @RegisterExtension
    static final IsolatedEngine engine = new IsolatedEngine();

    @RegisterExtension
    final DiscoveryUnderTest discovery = new DiscoveryUnderTest();

    private String create(String name, Map<String, String> labels) {
        ServiceSpec spec = new ServiceSpec().withName(name).withLabels(labels)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)))
                .withTaskTemplate(new TaskSpec()
                        .withContainerSpec(new ContainerSpec().withImage("swarmgate-testbed/busybox:1"))
                        .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.NONE)));
        return engine.client().createServiceCmd(spec).exec().getId();
    }

    @Test
    void keepsRoutingWhileDockerdIsDownAndFollowsChangesOnceItIsBack() throws Exception {
        create("before", labels("servicePath", "/before", "port", "8080"));
        discovery.start(engine.dockerHost(), Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> "before".equals(discovery.routedAt("/before")));

        engine.stop();

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> "before".equals(discovery.routedAt("/before")));

        engine.start();
        String id = create("after", labels("servicePath", "/after", "port", "8080"));
        Service before = engine.client().listServicesCmd().withNameFilter(List.of("before")).exec().get(0);
        engine.client().updateServiceCmd(before.getId(), before.getSpec()
                        .withLabels(labels("servicePath", "/moved", "port", "8080")))
                .withVersion(before.getVersion().getIndex()).exec();

        // Back-off after the stream broke is at most a few seconds here; the listing every second does the rest.
        await().atMost(Duration.ofSeconds(15)).until(() -> "after".equals(discovery.routedAt("/after"))
                && "before".equals(discovery.routedAt("/moved")) && discovery.routedAt("/before") == null);
        engine.client().removeServiceCmd(id).exec();
        await().atMost(Duration.ofSeconds(10)).until(() -> discovery.routedAt("/after") == null);
    }
}
