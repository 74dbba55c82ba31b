package io.swarmgate.bootstrap;

/** A step that cannot go on; its message tells the user what failed and what to do, and the tool exits with 1. */
public final class BootstrapException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BootstrapException(String message) {
        super(message);
    }

    public BootstrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
