package io.swarmgate.bootstrap.cluster;

import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.CommandGroup;
import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.ToolCommand;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.engine.EngineOptions;
import io.swarmgate.bootstrap.lab.LabLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cluster up | status | down}. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Form, show or dissolve a swarm.",
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Status.class, ClusterCommand.Down.class})
public final class ClusterCommand extends CommandGroup {

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "swarm init on the first engine, join the others, label the nodes, wait until all are Ready.")
    static final class Up extends ToolCommand {
        @Mixin
        private EngineOptions engines;

        @Option(names = "--managers", description = "how many engines, the first ones, are managers (default: all "
                + "of them up to 3, as the book's three-manager swarm)")
        private Integer managers;

        @Option(names = "--advertise-addr", paramLabel = "ADDRESS", split = ",", description = "the address each "
                + "engine advertises, in the order of --engine (default: the lab's node addresses with --lab, "
                + "else the engine chooses)")
        private List<String> advertise;

        @Option(names = "--pool", defaultValue = LabLayout.POOL, description = "the swarm's overlay address pool "
                + "(default ${DEFAULT-VALUE}; route it nowhere on the hosts, e.g. `ip route add blackhole` it)")
        private String pool;

        @Option(names = "--node-label", paramLabel = "KEY=VALUE", description = "a label on every node; repeatable")
        private Map<String, String> nodeLabels = Map.of();

        @Override
        protected void execute(Console console) {
            List<String> endpoints = engines.endpoints();
            List<Cluster.Member> members = new ArrayList<>();
            for (int i = 0; i < endpoints.size(); i++) {
                members.add(new Cluster.Member(endpoints.get(i), advertiseAddress(i)));
            }
            int managerCount = managers == null ? Math.min(3, endpoints.size()) : managers;
            new Cluster(console).up(members, managerCount, pool, nodeLabels);
        }

        private String advertiseAddress(int index) {
            if (advertise != null) {
                if (advertise.size() != engines.endpoints().size()) {
                    throw new BootstrapException("--advertise-addr gives " + advertise.size() + " address(es) for "
                            + engines.endpoints().size() + " engine(s)");
                }
                return advertise.get(index);
            }
            return engines.lab() ? LabLayout.address(LabLayout.existingNodes().get(index)) : null;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Nodes and services, from the manager.")
    static final class Status extends ToolCommand {
        @Mixin
        private EngineOptions engines;

        @picocli.CommandLine.Spec
        private picocli.CommandLine.Model.CommandSpec spec;

        @Override
        protected void execute(Console console) {
            try (Engine manager = engines.manager()) {
                ClusterStatus.print(manager, spec.commandLine().getOut());
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Every engine leaves the swarm (workers first); its services go with it.")
    static final class Down extends ToolCommand {
        @Mixin
        private EngineOptions engines;

        @Override
        protected void execute(Console console) {
            new Cluster(console).down(engines.endpoints());
        }
    }
}
