package io.swarmgate.proxy.tcp;

/** A TCP route's port could not be listened on (in use, or not allowed); the table was not published. */
public final class PortUnavailableException extends RuntimeException {
    private final int port;

    public PortUnavailableException(int port, Throwable cause) {
        super("srcPort: " + port + " cannot be listened on (" + cause.getMessage() + ")", cause);
        this.port = port;
    }

    public int port() {
        return port;
    }
}
