package io.swarmgate.bootstrap.scale;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.lab.LabLayout;
import io.swarmgate.bootstrap.service.Services;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Label changes of one service, each timed until Swarmgate on every node routes it. The service answers
 * {@code /step-K/hello} with "step-K" for every K up to {@code steps}; change K moves its {@code com.df.servicePath}
 * label to {@code /step-K}, which no replica routes before it has read the change. Only the service's labels change,
 * so its task keeps running: what is timed is discovery alone.
 */
public final class RouteChanges {
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Engine manager;
    private final String name;
    private final int nodes;

    private RouteChanges(Engine manager, String name, int nodes) {
        this.manager = manager;
        this.name = name;
        this.nodes = nodes;
    }

    /** Creates the service (routed at {@code /step-0}) and waits until every node routes it. */
    public static RouteChanges create(Engine manager, String name, String network, int steps, int nodes,
            Duration timeout) {
        String command = "for k in $(seq 0 " + steps + "); do mkdir -p /www/step-$k"
                + " && echo step-$k > /www/step-$k/hello; done && exec httpd -f -p 8080 -h /www";
        ServiceSpec spec = new ServiceSpec().withName(name).withLabels(labels(0))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)))
                .withTaskTemplate(new TaskSpec()
                        .withContainerSpec(new ContainerSpec().withImage("swarmgate-testbed/busybox:1")
                                .withCommand(List.of("sh", "-c", command)))
                        .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(network))))
                .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR));
        manager.api().createServiceCmd(spec).exec();
        RouteChanges changes = new RouteChanges(manager, name, nodes);
        changes.routed(0, changes.everyNode(), timeout);
        return changes;
    }

    /** Moves the route to {@code /step-K}; answers, node by node, the time until that node routed it. */
    public Duration[] change(int step, Duration timeout) {
        return change(step, everyNode(), timeout);
    }

    /**
     * Moves the route to {@code /step-K}; answers, for each of {@code routedBy} (node numbers) in its order, the time
     * until that node routed it.
     */
    public Duration[] change(int step, List<Integer> routedBy, Duration timeout) {
        Service service = Services.find(manager, name).orElseThrow();
        long started = System.nanoTime();
        manager.api().updateServiceCmd(service.getId(), service.getSpec().withLabels(labels(step)))
                .withVersion(service.getVersion().getIndex()).exec();
        return awaitRouted(step, routedBy, timeout, started);
    }

    /** Waits until each of {@code nodes} routes {@code /step-K}; answers each one's time from this call. */
    public Duration[] routed(int step, List<Integer> nodes, Duration timeout) {
        return awaitRouted(step, nodes, timeout, System.nanoTime());
    }

    public void remove() {
        Services.find(manager, name).ifPresent(service -> manager.api().removeServiceCmd(service.getId()).exec());
    }

    private List<Integer> everyNode() {
        return IntStream.rangeClosed(1, nodes).boxed().toList();
    }

    private Duration[] awaitRouted(int step, List<Integer> routedBy, Duration timeout, long started) {
        Duration[] routed = new Duration[routedBy.size()];
        String expected = "200 step-" + step;
        await(name + " routed at /step-" + step + " by nodes " + routedBy).atMost(timeout).pollInterval(POLL)
                .until(() -> {
                    for (int i = 0; i < routed.length; i++) {
                        if (routed[i] == null && get(routedBy.get(i), step).equals(expected)) {
                            routed[i] = Duration.ofNanos(System.nanoTime() - started);
                        }
                    }
                    return Arrays.stream(routed).allMatch(Objects::nonNull);
                });
        return routed;
    }

    private static Map<String, String> labels(int step) {
        Map<String, String> labels = new HashMap<>();
        labels.put("com.df.notify", "true");
        labels.put("com.df.servicePath", "/step-" + step);
        labels.put("com.df.port", "8080");
        labels.put("com.df.discoveryType", "DNS");
        return labels;
    }

    private String get(int node, int step) {
        return HttpAnswer.get(http, URI.create("http://" + LabLayout.address(node) + "/step-" + step + "/hello"),
                REQUEST_TIMEOUT);
    }
}
