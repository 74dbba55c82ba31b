package io.swarmgate.bootstrap.pipeline;

import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.ToolCommand;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.engine.EngineOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pipeline}: unit tests, build, staging tests, push, deploy. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "The CI flow of a service from a directory with a Dockerfile: unit stage in a container, "
                + "build, staging containers + staging tests, teardown, push to the registry, create or "
                + "rolling-update the service. A failing stage stops it (exit 1) with that stage's output.")
public final class PipelineCommand extends ToolCommand {
    @Mixin
    private EngineOptions engines;

    @Option(names = "--dir", required = true, description = "the build context, with its Dockerfile")
    private Path dir;

    @Option(names = "--name", required = true, description = "the service (and the image's repository)")
    private String name;

    @Option(names = "--registry", description = "host:port of the registry (default: the manager's address, port "
            + "5000, as `registry` runs it)")
    private String registry;

    @Option(names = "--tag", description = "the pushed tag (default: the built image's short ID)")
    private String tag;

    @Option(names = "--unit", paramLabel = "COMMAND", description = "the unit stage, run by sh -c in --test-image "
            + "with the sources in /<dir's name>")
    private String unit;

    @Option(names = "--staging-test", paramLabel = "COMMAND", description = "the staging tests, run by sh -c in "
            + "--test-image beside the staging app (APP_URL, APP_HOST, APP_PORT are set)")
    private String stagingTest;

    @Option(names = "--test-image", defaultValue = "swarmgate-testbed/busybox:1",
            description = "the image of the unit and staging stages (default ${DEFAULT-VALUE})")
    private String testImage;

    @Option(names = "--dependency", paramLabel = "NAME=IMAGE", description = "a staging dependency, reachable by "
            + "NAME; repeatable")
    private Map<String, String> dependencies = Map.of();

    @Option(names = "--port", defaultValue = "8080", description = "the service's port, com.df.port "
            + "(default ${DEFAULT-VALUE})")
    private int port;

    @Option(names = "--path", description = "com.df.servicePath (default /<name>)")
    private String path;

    @Option(names = "--replicas", defaultValue = "2", description = "the service's replicas (default ${DEFAULT-VALUE})")
    private int replicas;

    @Option(names = "--proxy-network", defaultValue = "proxy",
            description = "the network shared with Swarmgate (default ${DEFAULT-VALUE})")
    private String proxyNetwork;

    @Option(names = "--timeout", defaultValue = "120", description = "seconds each stage may take "
            + "(default ${DEFAULT-VALUE})")
    private int timeoutSeconds;

    @Override
    protected void execute(Console console) {
        if (!Files.isRegularFile(dir.resolve("Dockerfile"))) {
            throw new BootstrapException("--dir " + dir + ": no Dockerfile there");
        }
        try (Engine manager = engines.manager()) {
            String registryAddress = registry != null ? registry
                    : manager.api().infoCmd().exec().getSwarm().getNodeAddr() + ":5000";
            PipelineSettings settings = new PipelineSettings(dir.toAbsolutePath().normalize(), name, registryAddress,
                    tag, unit, stagingTest, testImage, dependencies, port, path != null ? path : "/" + name,
                    replicas, proxyNetwork, Duration.ofSeconds(timeoutSeconds));
            new Pipeline(manager, settings, console).run();
        }
    }
}
