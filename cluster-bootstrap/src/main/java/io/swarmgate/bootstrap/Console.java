package io.swarmgate.bootstrap;

import java.io.PrintWriter;

/** What the tool tells its user: one line per thing done or found already done, and progress on long steps. */
public final class Console {
    private final PrintWriter out;

    public Console(PrintWriter out) {
        this.out = out;
    }

    /** Something this run changed. */
    public void did(String what) {
        line(what);
    }

    /** Something already as wanted, left alone. */
    public void unchanged(String what) {
        line(what);
    }

    /** A step that takes a while: what it is waiting for, so far. */
    public void progress(String what) {
        line("  .. " + what);
    }

    private void line(String text) {
        out.println(text);
        out.flush();
    }
}
