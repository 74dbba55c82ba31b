package io.swarmgate.bootstrap.pipeline;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.api.model.UpdateConfig;
import com.github.dockerjava.api.model.UpdateFailureAction;
import com.github.dockerjava.api.model.UpdateOrder;
import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.engine.Containers;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.engine.ImageReference;
import io.swarmgate.bootstrap.engine.Images;
import io.swarmgate.bootstrap.service.Services;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The book's CI flow for one service, on the manager: unit stage in a container, image build, the image and its
 * dependencies as staging containers with the staging tests run against them, teardown, push to the registry, then
 * create or rolling-update the service. A failing stage stops the flow with its output; staging is torn down whatever
 * happens, and nothing is pushed or deployed unless every test passed.
 */
public final class Pipeline {
    private static final String LABEL = "io.swarmgate.bootstrap";
    private static final int STAGES = 6;

    private final Engine manager;
    private final PipelineSettings settings;
    private final Console console;

    public Pipeline(Engine manager, PipelineSettings settings, Console console) {
        this.manager = manager;
        this.settings = settings;
        this.console = console;
    }

    public void run() {
        unitStage();
        String built = settings.name() + ":pipeline";
        String imageId = stage(2, "build", () -> Images.build(manager, settings.dir(), built,
                Map.of(LABEL, "pipeline"), console));
        stagingStage(built);
        String tag = settings.tag() != null ? settings.tag() : imageId.replace("sha256:", "").substring(0, 12);
        String reference = new ImageReference(settings.registry(), settings.name(), tag).toString();
        stage(5, "push", () -> {
            ImageReference ref = ImageReference.parse(reference);
            manager.api().tagImageCmd(built, ref.registry() + "/" + ref.repository(), ref.tag()).exec();
            Images.push(manager, reference, console);
            return reference;
        });
        stage(6, "deploy", () -> {
            Services.apply(manager, service(reference), console);
            Services.awaitConverged(manager, settings.name(), settings.replicas(), settings.timeout(), console);
            return reference;
        });
        console.did("pipeline " + settings.name() + ": " + reference + " deployed, routed at " + settings.path());
    }

    private void unitStage() {
        if (settings.unitCommand() == null) {
            console.unchanged("stage 1/" + STAGES + " unit: no --unit command, skipped");
            return;
        }
        stage(1, "unit", () -> {
            String source = "/" + settings.dir().getFileName();
            String id = Containers.create(manager, settings.testImage(), List.of("sh", "-c", settings.unitCommand()),
                    create -> create.withWorkingDir(source).withLabels(Map.of(LABEL, "pipeline-unit")));
            try {
                // The sources go in through the API, so that the engine may be remote.
                manager.api().copyArchiveToContainerCmd(id).withHostResource(settings.dir().toString())
                        .withRemotePath("/").exec();
                manager.api().startContainerCmd(id).exec();
                return passed(Containers.await(manager, id, settings.timeout(), "stage unit"));
            } finally {
                Containers.remove(manager, id);
            }
        });
    }

    /** The app under its service name and its dependencies on a bridge network of their own, then the tests. */
    private void stagingStage(String image) {
        if (settings.stagingTest() == null) {
            console.unchanged("stage 3/" + STAGES + " staging: no --staging-test command, skipped");
            console.unchanged("stage 4/" + STAGES + " teardown: nothing to tear down");
            return;
        }
        String network = settings.name() + "-staging-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> containers = new ArrayList<>();
        manager.api().createNetworkCmd().withName(network).withDriver("bridge")
                .withLabels(Map.of(LABEL, "pipeline-staging")).exec();
        try {
            stage(3, "staging", () -> {
                for (Map.Entry<String, String> dependency : settings.dependencies().entrySet()) {
                    containers.add(staged(dependency.getValue(), List.of(), dependency.getKey(), network));
                }
                containers.add(staged(image, List.of(), settings.name(), network));
                String test = staged(settings.testImage(), List.of("sh", "-c", settings.stagingTest()), null, network);
                containers.add(test);
                return passed(Containers.await(manager, test, settings.timeout(), "stage staging"));
            });
        } finally {
            containers.forEach(id -> Containers.remove(manager, id));
            manager.api().removeNetworkCmd(network).exec();
            console.did("stage 4/" + STAGES + " teardown: " + containers.size() + " staging container(s) and "
                    + "network " + network + " removed");
        }
    }

    private String staged(String image, List<String> command, String alias, String network) {
        return Containers.start(manager, image, command, create -> {
            create.withLabels(Map.of(LABEL, "pipeline-staging"))
                    .withEnv("APP_URL=http://" + settings.name() + ":" + settings.port() + settings.path(),
                            "APP_HOST=" + settings.name(), "APP_PORT=" + settings.port());
            create.getHostConfig().withNetworkMode(network);
            if (alias != null) {
                create.withAliases(alias);
            }
            return create;
        });
    }

    private static String passed(Containers.Result result) {
        if (result.exitCode() != 0) {
            throw new BootstrapException("exit " + result.exitCode() + "; its output:\n" + result.output());
        }
        return "passed";
    }

    private ServiceSpec service(String reference) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL, "pipeline");
        labels.put("com.df.notify", "true");
        labels.put("com.df.servicePath", settings.path());
        labels.put("com.df.port", String.valueOf(settings.port()));
        labels.put("com.df.discoveryType", "DNS");
        return new ServiceSpec().withName(settings.name()).withLabels(labels)
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions()
                        .withReplicas(settings.replicas())))
                .withTaskTemplate(new TaskSpec()
                        .withContainerSpec(new ContainerSpec().withImage(reference))
                        .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
                                .withDelay(Duration.ofSeconds(2).toNanos()))
                        .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(settings.proxyNetwork()))))
                .withUpdateConfig(new UpdateConfig().withParallelism(1L).withDelay(Duration.ofSeconds(2).toNanos())
                        .withFailureAction(UpdateFailureAction.ROLLBACK).withOrder(UpdateOrder.START_FIRST))
                .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR));
    }

    /** Runs a stage, saying when it starts and how it ended; a failure names the stage. */
    private String stage(int number, String name, Supplier<String> work) {
        String label = "stage " + number + "/" + STAGES + " " + name;
        console.progress(label + ": running");
        long started = System.nanoTime();
        try {
            String result = work.get();
            console.did(String.format("%s: %s (%.1f s)", label, result, (System.nanoTime() - started) / 1e9));
            return result;
        } catch (BootstrapException e) {
            throw new BootstrapException(label + " failed: " + e.getMessage(), e);
        }
    }
}
