package io.swarmgate.bootstrap;

import io.swarmgate.bootstrap.app.AppCommand;
import io.swarmgate.bootstrap.cluster.ClusterCommand;
import io.swarmgate.bootstrap.lab.LabCommand;
import io.swarmgate.bootstrap.network.NetworkCommand;
import io.swarmgate.bootstrap.pipeline.PipelineCommand;
import io.swarmgate.bootstrap.proxy.ProxyCommand;
import io.swarmgate.bootstrap.registry.RegistryCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar swarmgate-bootstrap.jar}: provisions a swarm and what runs on it, idempotently, over the API. */
@Command(name = "swarmgate-bootstrap", mixinStandardHelpOptions = true, version = "swarmgate-bootstrap 0.1.0",
        description = "Provisions a Docker swarm, its networks, a registry, Swarmgate and apps over the Docker API."
                + " Every command is idempotent: a second run changes nothing and says so.",
        subcommands = {LabCommand.class, ClusterCommand.class, NetworkCommand.class, RegistryCommand.class,
            ProxyCommand.class, AppCommand.class, PipelineCommand.class})
public final class Main extends CommandGroup {
    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; answers the exit code (0 done, 1 a step failed, 2 a usage error). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((failure, command, parsed) -> {
            if (failure instanceof BootstrapException) {
                err.println("error: " + failure.getMessage());
                err.flush();
                return 1;
            }
            throw failure;
        });
        return commandLine.execute(args);
    }
}
