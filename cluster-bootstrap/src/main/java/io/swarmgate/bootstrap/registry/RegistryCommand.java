package io.swarmgate.bootstrap.registry;

import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.ToolCommand;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.engine.EngineOptions;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code registry}: the swarm's own registry, and images copied into it. */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Run a registry service (Debian's docker-registry, on a volume, host port on the manager) "
                + "and push images into it, so that every node can pull them.")
public final class RegistryCommand extends ToolCommand {
    @Mixin
    private EngineOptions engines;

    @Option(names = "--image", defaultValue = "swarmgate/registry:2", description = "the registry's image, built on "
            + "the manager from /usr/bin/docker-registry when missing (default ${DEFAULT-VALUE})")
    private String image;

    @Option(names = "--port", defaultValue = "5000", description = "its published port (default ${DEFAULT-VALUE})")
    private int port;

    @Option(names = "--push", paramLabel = "IMAGE", split = ",", description = "an image to copy from --from into "
            + "the registry, as <registry>/<repository>:<tag>; repeatable")
    private List<String> push = List.of();

    @Option(names = "--from", paramLabel = "URI", defaultValue = "unix:///var/run/docker.sock",
            description = "the engine the --push images come from (default ${DEFAULT-VALUE})")
    private String from;

    @Override
    protected void execute(Console console) {
        try (Engine manager = engines.manager()) {
            Registry registry = new Registry(manager, console);
            String address = registry.up(image, port);
            if (push.isEmpty()) {
                return;
            }
            try (Engine source = Engine.connect(from)) {
                if (!source.answers()) {
                    throw new BootstrapException("no Docker engine answers at " + from + " (--from)");
                }
                for (String name : push) {
                    console.did("image " + registry.push(source, name, address) + ": pullable by every node");
                }
            }
        }
    }
}
