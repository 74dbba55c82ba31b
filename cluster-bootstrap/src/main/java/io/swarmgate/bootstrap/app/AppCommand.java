package io.swarmgate.bootstrap.app;

import io.swarmgate.bootstrap.CommandGroup;
import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.ToolCommand;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.engine.EngineOptions;
import io.swarmgate.bootstrap.network.Networks;
import io.swarmgate.bootstrap.service.Services;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code app deploy}: the book's go-demo shape, an app routed by Swarmgate and its database on a network of its own. */
@Command(name = "app", mixinStandardHelpOptions = true, description = "Apps routed by Swarmgate.",
        subcommands = AppCommand.Deploy.class)
public final class AppCommand extends CommandGroup {

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = "Deploy (or rolling-update) an app on the proxy network with its com.df.* labels, and its "
                    + "database on an internal network that only the app shares.")
    static final class Deploy extends ToolCommand {
        @Mixin
        private EngineOptions engines;

        @Option(names = "--name", defaultValue = "go-demo", description = "the app's service and network "
                + "(default ${DEFAULT-VALUE}); its database is <name>-db")
        private String name;

        @Option(names = "--image", defaultValue = "swarmgate-testbed/busybox:1",
                description = "the app's image (default ${DEFAULT-VALUE})")
        private String image;

        @Option(names = "--command", description = "the app's command, run by sh -c (default: busybox httpd "
                + "answering <path>/hello with the task's host name)")
        private String command;

        @Option(names = "--path", defaultValue = "/demo", description = "com.df.servicePath (default ${DEFAULT-VALUE})")
        private String path;

        @Option(names = "--port", defaultValue = "8080", description = "com.df.port (default ${DEFAULT-VALUE})")
        private int port;

        @Option(names = "--replicas", defaultValue = "3", description = "the app's replicas (default ${DEFAULT-VALUE})")
        private int replicas;

        @Option(names = "--db-image", defaultValue = "swarmgate-testbed/busybox:1",
                description = "the database's image (default ${DEFAULT-VALUE})")
        private String dbImage;

        @Option(names = "--db-command", description = "the database's command, run by sh -c (default: a stand-in "
                + "answering on port 27017)")
        private String dbCommand;

        @Option(names = "--proxy-network", defaultValue = "proxy",
                description = "the network shared with Swarmgate (default ${DEFAULT-VALUE})")
        private String proxyNetwork;

        @Option(names = "--timeout", defaultValue = "120", description = "seconds to wait for the tasks "
                + "(default ${DEFAULT-VALUE})")
        private int timeoutSeconds;

        @Override
        protected void execute(Console console) {
            App app = new App(name, image, command != null ? command : App.helloCommand(path, port), path, port,
                    replicas, dbImage, dbCommand != null ? dbCommand : App.DB_STAND_IN, proxyNetwork);
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            try (Engine manager = engines.manager()) {
                Networks.ensureOverlay(manager, proxyNetwork, true, false, console);
                Networks.ensureOverlay(manager, name, false, true, console);
                Services.apply(manager, app.database(), console);
                Services.apply(manager, app.service(), console);
                Services.awaitConverged(manager, app.databaseName(), 1, timeout, console);
                Services.awaitConverged(manager, name, replicas, timeout, console);
            }
            console.did("app " + name + ": routed by Swarmgate at " + path + " (labels " + List.of(
                    "com.df.notify=true", "com.df.servicePath=" + path, "com.df.port=" + port) + ")");
        }
    }
}
