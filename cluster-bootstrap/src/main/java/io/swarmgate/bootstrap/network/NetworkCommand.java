package io.swarmgate.bootstrap.network;

import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.ToolCommand;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.engine.EngineOptions;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code network}: the proxy's overlay network and per-app networks. */
@Command(name = "network", mixinStandardHelpOptions = true,
        description = "Create the overlay networks: the proxy's (attachable) and per-app ones (--internal: no way "
                + "out, for databases).")
public final class NetworkCommand extends ToolCommand {
    @Mixin
    private EngineOptions engines;

    @Option(names = "--proxy-network", defaultValue = "proxy", description = "the network Swarmgate shares with "
            + "the services it routes (default ${DEFAULT-VALUE})")
    private String proxyNetwork;

    @Option(names = "--app", paramLabel = "NAME", split = ",", description = "a per-app overlay network; repeatable")
    private List<String> apps = List.of();

    @Option(names = "--internal", description = "the per-app networks are internal (default ${DEFAULT-VALUE})",
            defaultValue = "true", negatable = true)
    private boolean internal;

    @Override
    protected void execute(Console console) {
        try (Engine manager = engines.manager()) {
            Networks.ensureOverlay(manager, proxyNetwork, true, false, console);
            for (String app : apps) {
                Networks.ensureOverlay(manager, app, false, internal, console);
            }
        }
    }
}
