package io.swarmgate.bootstrap.proxy;

import com.github.dockerjava.api.model.SwarmNodeRole;
import com.github.dockerjava.api.model.SwarmNodeState;
import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.CommandGroup;
import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.ToolCommand;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.engine.EngineOptions;
import io.swarmgate.bootstrap.engine.ImageReference;
import io.swarmgate.bootstrap.engine.Images;
import io.swarmgate.bootstrap.network.Networks;
import io.swarmgate.bootstrap.service.Services;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code proxy deploy}: Swarmgate as a Swarm service, and the equivalent stack file. */
@Command(name = "proxy", mixinStandardHelpOptions = true, description = "Swarmgate as a Swarm service.",
        subcommands = ProxyCommand.Deploy.class)
public final class ProxyCommand extends CommandGroup {

    /** The publish modes a user may choose. */
    enum PublishMode {
        host, ingress
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = "Deploy (or rolling-update) Swarmgate: replicas on the managers with the Docker socket "
                    + "mounted read-only for discovery, update_config parallelism 1 + delay + rollback on failure, "
                    + "a health check, a restart policy; and write the equivalent stack file.")
    static final class Deploy extends ToolCommand {
        @Mixin
        private EngineOptions engines;

        @Option(names = "--name", defaultValue = "proxy", description = "the service (default ${DEFAULT-VALUE})")
        private String name;

        @Option(names = "--image", defaultValue = "swarmgate/swarmgate:latest", description = "Swarmgate's image; "
                + "every manager must be able to pull it (default ${DEFAULT-VALUE})")
        private String image;

        @Option(names = "--jar", paramLabel = "PATH", description = "build --image on the manager from this "
                + "swarmgate.jar, and push it when --image names a registry")
        private Path jar;

        @Option(names = "--base-image", defaultValue = "swarmgate-testbed/jre17:3",
                description = "the Java 17 image --jar builds on (default ${DEFAULT-VALUE})")
        private String baseImage;

        @Option(names = "--replicas", defaultValue = "3", description = "replicas, at most one per manager with "
                + "host-mode ports (default ${DEFAULT-VALUE})")
        private int replicas;

        @Option(names = "--port", split = ",", defaultValue = "80",
                description = "published ports (default ${DEFAULT-VALUE}: the data plane; the configuration API, "
                        + "8080, has no token and stays on the overlay network unless named here)")
        private List<Integer> ports;

        @Option(names = "--publish-mode", defaultValue = "host", description = "host (each node on its own "
                + "address) or ingress (the routing mesh; needs IPVS) (default ${DEFAULT-VALUE})")
        private PublishMode publishMode;

        @Option(names = "--network", defaultValue = "proxy", description = "the overlay network shared with the "
                + "routed services (default ${DEFAULT-VALUE})")
        private String network;

        @Option(names = "--socket", defaultValue = "/var/run/docker.sock",
                description = "the Docker socket on the managers (default ${DEFAULT-VALUE})")
        private String socket;

        @Option(names = "--stack-file", defaultValue = "swarmgate-stack.yml",
                description = "where the equivalent stack file is written (default ${DEFAULT-VALUE})")
        private Path stackFile;

        @Option(names = "--timeout", defaultValue = "180", description = "seconds to wait for the replicas to "
                + "be healthy (default ${DEFAULT-VALUE})")
        private int timeoutSeconds;

        @Override
        protected void execute(Console console) {
            if (replicas < 2) {
                throw new BootstrapException("--replicas " + replicas + " (expected: at least 2, so that one "
                        + "replica serves while another is updated or lost)");
            }
            ProxySettings settings = new ProxySettings(name, image, replicas, ports, publishMode == PublishMode.host,
                    network, socket);
            try (Engine manager = engines.manager()) {
                if (jar != null) {
                    SwarmgateImage.build(manager, jar, baseImage, image, console);
                    if (ImageReference.parse(image).hasRegistry()) {
                        Images.push(manager, image, console);
                    }
                }
                Networks.ensureOverlay(manager, network, true, false, console);
                Services.apply(manager, ProxyService.spec(settings), console);
                int expected = settings.hostMode() ? Math.min(replicas, readyManagers(manager)) : replicas;
                Services.awaitConverged(manager, name, expected, Duration.ofSeconds(timeoutSeconds), console);
            }
            writeStackFile(StackFile.of(settings), console);
            console.did(settings.apiAccess());
        }

        private static int readyManagers(Engine manager) {
            return (int) manager.api().listSwarmNodesCmd().exec().stream()
                    .filter(node -> node.getSpec().getRole() == SwarmNodeRole.MANAGER
                            && node.getStatus().getState() == SwarmNodeState.READY)
                    .count();
        }

        private void writeStackFile(String content, Console console) {
            try {
                if (Files.isRegularFile(stackFile) && Files.readString(stackFile).equals(content)) {
                    console.unchanged("stack file " + stackFile + ": unchanged");
                    return;
                }
                Files.writeString(stackFile, content);
                console.did("stack file " + stackFile + ": written (docker stack deploy -c " + stackFile
                        + " <stack>)");
            } catch (IOException e) {
                throw new BootstrapException("cannot write " + stackFile + ": " + e.getMessage(), e);
            }
        }
    }
}
