package io.swarmgate.proxy.route;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a route sends its requests: a host name (a Swarm service name, its VIP, or any resolvable host) and a port.
 * Names are resolved asynchronously on the event loop when a connection is opened, never while building the table.
 */
public final class Backend {
    private final String host;
    private final int port;
    private final InetSocketAddress address;

    private Backend(String host, int port) {
        this.host = host;
        this.port = port;
        this.address = InetSocketAddress.createUnresolved(host, port);
    }

    public static Backend of(String host, int port) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        return new Backend(host.toLowerCase(Locale.ROOT), port);
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** An unresolved address, resolved by the data plane's asynchronous resolver at connect time. */
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Backend other && port == other.port && host.equals(other.host);
    }

    @Override
    public int hashCode() {
        return host.hashCode() * 31 + port;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
