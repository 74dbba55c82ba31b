package io.swarmgate.bootstrap.lab;

import io.swarmgate.bootstrap.CommandGroup;
import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.ToolCommand;
import io.swarmgate.bootstrap.engine.Engine;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lab up | down | kill-node | partition | heal}: Docker engines in network namespaces on this machine (root).
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "A local multi-engine lab: Docker engines on this Linux machine, each in its own network "
                + "namespace on the bridge " + LabLayout.BRIDGE + " (" + LabLayout.NET + ".0/24). Needs root.",
        subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.KillNode.class,
            LabCommand.Partition.class, LabCommand.Heal.class})
public final class LabCommand extends CommandGroup {

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start N engines (node K: address " + LabLayout.NET + ".1K, engine "
                    + "unix:///var/lib/swarmgate-lab/nodeK/docker.sock) and copy images into them. Starts again "
                    + "a node that was killed.")
    static final class Up extends ToolCommand {
        @Option(names = "--nodes", defaultValue = "3", description = "how many engines (1-9; default ${DEFAULT-VALUE})")
        private int nodes;

        @Option(names = "--images-from", paramLabel = "URI", defaultValue = "unix:///var/run/docker.sock",
                description = "the engine whose images are copied into the nodes (default ${DEFAULT-VALUE})")
        private String imagesFrom;

        @Option(names = "--image", paramLabel = "IMAGE",
                defaultValue = "swarmgate-testbed/busybox:1,swarmgate-testbed/jre17:3", split = ",",
                description = "images to copy into every node when that engine has them (default ${DEFAULT-VALUE})")
        private List<String> images;

        @Override
        protected void execute(Console console) {
            try (Engine source = Engine.connect(imagesFrom)) {
                boolean answers = source.answers();
                if (!answers) {
                    console.unchanged("images: no engine answers at " + imagesFrom + ", none copied");
                }
                new Lab(console).up(nodes, source, answers ? images : List.of());
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop every node and remove what `lab up` made: namespaces, bridge, rules, state.")
    static final class Down extends ToolCommand {
        @Override
        protected void execute(Console console) {
            new Lab(console).down();
        }
    }

    /** A subcommand acting on one node, given by its number. */
    abstract static class OnNode extends ToolCommand {
        @Parameters(paramLabel = "NODE", description = "the node's number")
        private int node;

        @Override
        protected void execute(Console console) {
            act(new Lab(console), node);
        }

        abstract void act(Lab lab, int node);
    }

    @Command(name = "kill-node", mixinStandardHelpOptions = true,
            description = "Hard-kill one node (engine, containerd, containers), as a machine losing power.")
    static final class KillNode extends OnNode {
        @Override
        void act(Lab lab, int node) {
            lab.killNode(node);
        }
    }

    @Command(name = "partition", mixinStandardHelpOptions = true,
            description = "Cut one node off the lab bridge (its link down), as a failed switch port: it runs on "
                    + "but reaches no other node; `lab heal` restores the link.")
    static final class Partition extends OnNode {
        @Override
        void act(Lab lab, int node) {
            lab.partition(node);
        }
    }

    @Command(name = "heal", mixinStandardHelpOptions = true,
            description = "Restore the link of a node cut off by `lab partition`.")
    static final class Heal extends OnNode {
        @Override
        void act(Lab lab, int node) {
            lab.heal(node);
        }
    }
}
