package io.swarmgate.bootstrap;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand: does its work, telling the user through its {@link Console}; a failure is a BootstrapException. */
public abstract class ToolCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    protected Console console() {
        return new Console(spec.commandLine().getOut());
    }

    @Override
    public final Integer call() {
        execute(console());
        return 0;
    }

    protected abstract void execute(Console console);
}
