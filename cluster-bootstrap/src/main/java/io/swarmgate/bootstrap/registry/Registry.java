package io.swarmgate.bootstrap.registry;

import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.PortConfig;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServicePlacement;
import com.github.dockerjava.api.model.ServiceReplicatedModeOptions;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.TaskSpec;
import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.engine.ImageReference;
import io.swarmgate.bootstrap.engine.Images;
import io.swarmgate.bootstrap.engine.RegistryClient;
import io.swarmgate.bootstrap.engine.Wait;
import io.swarmgate.bootstrap.host.HostCommand;
import io.swarmgate.bootstrap.service.Services;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A registry as a Swarm service: Debian's {@code docker-registry} in an image built on the manager from this
 * machine's binary (no registry to pull one from), its data on a volume, its port published in host mode on the
 * manager (the routing mesh needs IPVS). Every node pulls {@code <manager address>:<port>/<repository>:<tag>}; the
 * engines must trust that address as an insecure registry (the lab's do).
 */
public final class Registry {
    public static final String SERVICE = "registry";
    private static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final String DATA = "/var/lib/docker-registry";
    private static final Duration CONVERGED = Duration.ofSeconds(90);
    private static final Duration ANSWERS = Duration.ofSeconds(30);

    private final Engine manager;
    private final Console console;

    public Registry(Engine manager, Console console) {
        this.manager = manager;
        this.console = console;
    }

    /** Runs the registry service; answers its address ({@code host:port}). */
    public String up(String image, int port) {
        SwarmInfo swarm = manager.api().infoCmd().exec().getSwarm();
        if (!Boolean.TRUE.equals(swarm.getControlAvailable())) {
            throw new BootstrapException("engine " + manager.uri() + " is not a swarm manager; run `cluster up`");
        }
        if (Images.id(manager, image).isEmpty()) {
            buildImage(image);
        } else {
            console.unchanged("image " + image + ": already on the manager");
        }
        ServiceSpec spec = new ServiceSpec().withName(SERVICE)
                .withLabels(Map.of("io.swarmgate.bootstrap", "registry"))
                .withMode(new ServiceModeConfig().withReplicated(new ServiceReplicatedModeOptions().withReplicas(1)))
                .withTaskTemplate(new TaskSpec()
                        .withContainerSpec(new ContainerSpec().withImage(image).withMounts(List.of(new Mount()
                                .withType(MountType.VOLUME).withSource("registry-data").withTarget(DATA))))
                        // The image exists on the manager alone: the task runs there.
                        .withPlacement(new ServicePlacement().withConstraints(
                                List.of("node.id==" + swarm.getNodeID())))
                        .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.ANY)
                                .withDelay(Duration.ofSeconds(2).toNanos())))
                .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR).withPorts(List.of(
                        new PortConfig().withTargetPort(5000).withPublishedPort(port)
                                .withPublishMode(PortConfig.PublishMode.host))));
        Services.apply(manager, spec, console);
        Services.awaitConverged(manager, SERVICE, 1, CONVERGED, console);
        String address = swarm.getNodeAddr() + ":" + port;
        Wait.until("the registry to answer at http://" + address + "/v2/", ANSWERS, console,
                () -> RegistryClient.answers(address) ? Wait.State.done("answers")
                        : Wait.State.waiting("no answer yet"));
        console.did("registry: http://" + address + "/v2/ answers; push and pull " + address + "/<repository>:<tag>");
        return address;
    }

    /**
     * Copies an image from another engine into the manager, tags it in the registry and pushes it; answers the
     * registry's reference, which every node can pull.
     */
    public String push(Engine source, String image, String registry) {
        Images.copy(source, List.of(manager), image, console);
        ImageReference target = ImageReference.parse(image).in(registry);
        manager.api().tagImageCmd(image, target.registry() + "/" + target.repository(), target.tag()).exec();
        Images.push(manager, target.toString(), console);
        return target.toString();
    }

    /** FROM scratch: the binary, the libraries {@code ldd} names, a configuration with filesystem storage. */
    private void buildImage(String image) {
        if (!Files.isExecutable(BINARY)) {
            throw new BootstrapException(BINARY + " is missing: install Debian's docker-registry "
                    + "(apt-get install --no-install-recommends docker-registry)");
        }
        try {
            Path context = Files.createTempDirectory("swarmgate-registry");
            try {
                Path root = context.resolve("rootfs");
                copy(BINARY, root);
                for (String library : libraries()) {
                    copy(Path.of(library), root);
                }
                Path config = root.resolve("etc/docker/registry/config.yml");
                Files.createDirectories(config.getParent());
                Files.writeString(config, String.join("\n",
                        "version: 0.1",
                        "log: {level: warn}",
                        "storage:",
                        "  filesystem: {rootdirectory: " + DATA + "}",
                        "  delete: {enabled: true}",
                        "http: {addr: \":5000\", secret: swarmgate-registry}",
                        ""));
                Files.writeString(context.resolve("Dockerfile"), String.join("\n",
                        "FROM scratch",
                        "COPY rootfs/ /",
                        "EXPOSE 5000",
                        "VOLUME " + DATA,
                        "ENTRYPOINT [\"" + BINARY + "\", \"serve\", \"/etc/docker/registry/config.yml\"]",
                        ""));
                Images.build(manager, context, image, Map.of("io.swarmgate.bootstrap", "registry"), console);
            } finally {
                try (Stream<Path> tree = Files.walk(context)) {
                    for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
        } catch (IOException e) {
            throw new BootstrapException("building " + image + ": " + e.getMessage(), e);
        }
    }

    /** The absolute paths in {@code ldd}'s answer: the libraries and the dynamic loader. */
    private static List<String> libraries() {
        return Arrays.stream(HostCommand.run("ldd", BINARY.toString()).split("\\s+"))
                .filter(token -> token.startsWith("/")).distinct().toList();
    }

    private static void copy(Path file, Path root) throws IOException {
        Path target = root.resolve(file.toString().substring(1));
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
