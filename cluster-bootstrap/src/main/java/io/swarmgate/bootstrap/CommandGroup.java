package io.swarmgate.bootstrap;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command made of subcommands: run alone, it shows its usage. */
public abstract class CommandGroup implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public final void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
