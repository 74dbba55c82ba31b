package io.swarmgate.bootstrap;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One command line run in-process, as a user runs the jar: its exit code and what it printed. */
public record ToolRun(int exitCode, String out, String err) {
    public static ToolRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        ToolRun run = new ToolRun(exit, out.toString(), err.toString());
        System.out.println("$ swarmgate-bootstrap " + String.join(" ", args) + "\n" + run.out + run.err
                + "(exit " + exit + ")");
        return run;
    }
}
