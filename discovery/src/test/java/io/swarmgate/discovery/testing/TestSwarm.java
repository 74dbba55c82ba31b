package io.swarmgate.discovery.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceGlobalModeOptions;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.swarmgate.discovery.DiscoverySettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real swarm of the test bed ({@code .ci/testbed.sh}), for tests that create services in it. Without a swarm
 * manager at {@code DOCKER_HOST} the tests fail when {@code CI} is set and are skipped otherwise, saying why. Every
 * service a test creates carries a label of this run and is removed after the test.
 *
 * <p>Services run busybox's httpd with {@code --endpoint-mode dnsrr} (this kernel has no IPVS for virtual IPs) on
 * the overlay {@code proxy}. Nothing here sends traffic to them: their overlay addresses are not the host's to reach.
 */
public final class TestSwarm implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback {
    public static final String IMAGE = "swarmgate-testbed/busybox:1";
    private static final String RUN_LABEL = "io.swarmgate.test-run";
    private static final String RUN = UUID.randomUUID().toString();
    private static final String START_IT = "; start the test bed with: bash .ci/testbed.sh (as root)";

    private DockerClient docker;
    private String problem; // why there is no swarm to test with

    /** The Docker API the test bed serves: {@code DOCKER_HOST}, or the default socket. */
    public static String dockerHost() {
        String host = System.getenv("DOCKER_HOST");
        return host == null || host.isEmpty() ? DiscoverySettings.DEFAULT_DOCKER_HOST : host;
    }

    /** A docker-java client for the engine at {@code dockerHost}, as the tests drive it. */
    public static DockerClient client(String dockerHost) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost).build();
        return DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).connectionTimeout(Duration.ofSeconds(3))
                .responseTimeout(Duration.ofSeconds(30)).build());
    }

    /** A service name no other test run uses. */
    public static String uniqueName(String base) {
        return "sg-" + base + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    }

    /** {@code com.df.notify=true} and {@code com.df.<name>=<value>} for each pair given. */
    public static Map<String, String> labels(String... namesAndValues) {
        Map<String, String> labels = new HashMap<>();
        labels.put("com.df.notify", "true");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            labels.put("com.df." + namesAndValues[i], namesAndValues[i + 1]);
        }
        return labels;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (docker != null || problem != null) {
            return;
        }
        DockerClient client = client(dockerHost());
        problem = problem(client);
        if (problem == null) {
            docker = client;
        } else if (System.getenv("CI") != null) {
            unavailable(problem);
        }
    }

    /** Skips each test, so that every one is reported with the reason. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (problem != null) {
            unavailable(problem);
        }
    }

    /** Fails the test when {@code CI} is set, skips it otherwise, saying why and how to start the test bed. */
    public static void unavailable(String problem) {
        if (System.getenv("CI") != null) {
            fail("CI is set and this test needs Docker: " + problem + START_IT);
        }
        Assumptions.abort("Skipped, no Docker swarm: " + problem + START_IT);
    }

    private static String problem(DockerClient client) {
        try {
            SwarmInfo swarm = client.infoCmd().exec().getSwarm();
            if (swarm == null || !Boolean.TRUE.equals(swarm.getControlAvailable())) {
                return "the Docker engine at " + dockerHost() + " is not a swarm manager";
            }
            return null;
        } catch (RuntimeException e) {
            return "no Docker engine answers at " + dockerHost() + " (" + e.getMessage() + ")";
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (docker == null) {
            return;
        }
        for (Service service : docker.listServicesCmd().withLabelFilter(Map.of(RUN_LABEL, RUN)).exec()) {
            docker.removeServiceCmd(service.getId()).exec();
        }
    }

    /** Creates a replicated service (one replica) with these labels; answers its ID. */
    public String create(String name, Map<String, String> labels) {
        return create(name, labels, new ServiceModeConfig().withReplicated(
                new ServiceReplicatedModeOptions().withReplicas(1)), null);
    }

    /**
     * Creates a service of {@code replicas} tasks, updated one at a time, whose tasks take {@code stopGracePeriod}
     * to stop: httpd runs as the container's first process, for which the kernel ignores SIGTERM, so Docker kills it
     * only once that period is over. Answers its ID.
     */
    public String createSlowToStop(String name, int replicas, Duration stopGracePeriod) {
        return create(name, Map.of(), new ServiceModeConfig().withReplicated(
                new ServiceReplicatedModeOptions().withReplicas(replicas)), stopGracePeriod);
    }

    /** Creates a global service with these labels; answers its ID. */
    public String createGlobal(String name, Map<String, String> labels) {
        return create(name, labels, new ServiceModeConfig().withGlobal(new ServiceGlobalModeOptions()), null);
    }

    private String create(String name, Map<String, String> labels, ServiceModeConfig mode,
                          Duration stopGracePeriod) {
        Map<String, String> tagged = new HashMap<>(labels);
        tagged.put(RUN_LABEL, RUN);
        ServiceSpec spec = new ServiceSpec()
                .withName(name)
                .withLabels(tagged)
                .withMode(mode)
                .withUpdateConfig(new UpdateConfig().withParallelism(1L))
                .withTaskTemplate(new TaskSpec().withContainerSpec(new ContainerSpec()
                        .withImage(IMAGE)
                        .withStopGracePeriod(stopGracePeriod == null ? null : stopGracePeriod.toNanos())
                        .withCommand(List.of("httpd", "-f", "-p", "8080", "-h", "/tmp"))))
                .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR))
                .withNetworks(List.of(new NetworkAttachmentConfig().withTarget("proxy")));
        return docker.createServiceCmd(spec).exec().getId();
    }

    /** Replaces the service's labels (the test run's own label is kept). */
    public void relabel(String id, Map<String, String> labels) {
        update(id, spec -> {
            Map<String, String> tagged = new HashMap<>(labels);
            tagged.put(RUN_LABEL, RUN);
            return spec.withLabels(tagged);
        });
    }

    public void scale(String id, int replicas) {
        update(id, spec -> spec.withMode(new ServiceModeConfig().withReplicated(
                new ServiceReplicatedModeOptions().withReplicas(replicas))));
    }

    /** Replaces every task of the service (ID or name), one after another, as {@code service update --force} does. */
    public void forceUpdate(String id) {
        update(id, spec -> {
            Integer force = spec.getTaskTemplate().getForceUpdate();
            return spec.withTaskTemplate(spec.getTaskTemplate().withForceUpdate(force == null ? 1 : force + 1));
        });
    }

    public void remove(String id) {
        docker.removeServiceCmd(id).exec();
    }

    /**
     * The addresses {@code tasks.<service>} resolves to inside one of the service's own containers, as busybox's
     * {@code nslookup} prints them, sorted: what Docker's DNS tells a container on its network. Nothing leaves the
     * container but the query to Docker's resolver.
     */
    public List<String> resolvedInside(String service) throws InterruptedException {
        String container = containerOf(service);
        String exec = docker.execCreateCmd(container).withAttachStdout(true).withAttachStderr(true)
                .withCmd("nslookup", "tasks." + service).exec().getId();
        StringBuilder output = new StringBuilder();
        docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(10, TimeUnit.SECONDS);
        Matcher answer = Pattern.compile("(?m)^Address: ([0-9.]+)$").matcher(output);
        List<String> addresses = new ArrayList<>();
        while (answer.find()) {
            addresses.add(answer.group(1));
        }
        return addresses.stream().sorted().toList();
    }

    /** Kills one of the service's containers, as a crash would: Swarm starts another task, and says nothing. */
    public void killOneTask(String service) {
        docker.killContainerCmd(containerOf(service)).exec();
    }

    /** The engine's client, to watch what the tests do. */
    public DockerClient docker() {
        return docker;
    }

    /** The ID of one of the service's running containers on this engine. */
    public String containerOf(String service) {
        return containers(service).get(0);
    }

    /** The ID of the network of this name. */
    public String networkId(String name) {
        return docker.inspectNetworkCmd().withNetworkId(name).exec().getId();
    }

    /** The IDs of the service's running containers on this engine. */
    private List<String> containers(String service) {
        return docker.listContainersCmd().withLabelFilter(Map.of("com.docker.swarm.service.name", service)).exec()
                .stream().map(Container::getId).toList();
    }

    private void update(String id, UnaryOperator<ServiceSpec> change) {
        Service service = docker.inspectServiceCmd(id).exec();
        docker.updateServiceCmd(id, change.apply(service.getSpec()))
                .withVersion(service.getVersion().getIndex())
                .exec();
    }
}
