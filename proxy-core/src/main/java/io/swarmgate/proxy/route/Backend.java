package io.swarmgate.proxy.route;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a route sends its requests, in one of two ways:
 * <ul>
 *   <li>{@linkplain #of a name}: a Swarm service name (its VIP, which Swarm balances) or any resolvable host, connected
 *   to as it is;</li>
 *   <li>{@linkplain #tasks the tasks of a service}: the addresses {@code tasks.<service>} resolves to, which the proxy
 *   balances itself, following the tasks as they come and go.</li>
 * </ul>
 * Names are resolved asynchronously on the event loops, never while building the table.
 */
public final class Backend {
    private final String host;
    private final int port;
    private final boolean tasks;
    private final TaskBalancing balancing;
    private final InetSocketAddress address;
    private final boolean h2c;

    private Backend(String host, int port, boolean tasks, TaskBalancing balancing, boolean h2c) {
        this.h2c = h2c;
        this.host = host;
        this.port = port;
        this.tasks = tasks;
        this.balancing = balancing;
        this.address = InetSocketAddress.createUnresolved(tasks ? "tasks." + host : host, port);
    }

    /** Connects to {@code host:port}: for a Swarm service, its VIP. */
    public static Backend of(String host, int port) {
        return create(host, port, false, null);
    }

    /** Balances round robin over the addresses {@code tasks.<service>} resolves to, on {@code port}. */
    public static Backend tasks(String service, int port) {
        return tasks(service, port, TaskBalancing.DEFAULT);
    }

    /** Balances over the addresses {@code tasks.<service>} resolves to, on {@code port}, as {@code balancing} says. */
    public static Backend tasks(String service, int port, TaskBalancing balancing) {
        return create(service, port, true, Objects.requireNonNull(balancing, "balancing"));
    }

    private static Backend create(String host, int port, boolean tasks, TaskBalancing balancing) {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host: must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        return new Backend(host.toLowerCase(Locale.ROOT), port, tasks, balancing, false);
    }

    /**
     * This backend, spoken to in HTTP/2 without TLS (h2c, prior knowledge) when {@code enabled}: gRPC servers. The
     * proxy's HTTP/1.1 exchange is carried on one stream at a time per connection; trailers pass both ways.
     */
    public Backend h2c(boolean enabled) {
        return enabled == h2c ? this : new Backend(host, port, tasks, balancing, enabled);
    }

    /** Whether it speaks h2c rather than HTTP/1.1. */
    public boolean h2c() {
        return h2c;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** Whether the proxy balances over the service's tasks rather than connecting to the name. */
    public boolean balancesTasks() {
        return tasks;
    }

    /** How tasks are picked and watched; {@code null} for a backend reached by name. */
    public TaskBalancing balancing() {
        return balancing;
    }

    /**
     * The unresolved address to look up: {@code host:port}, or {@code tasks.<service>:port} for tasks. The data plane
     * resolves it asynchronously.
     */
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Backend other && port == other.port && tasks == other.tasks && host.equals(other.host)
                && Objects.equals(balancing, other.balancing) && h2c == other.h2c;
    }

    @Override
    public int hashCode() {
        return (host.hashCode() * 31 + port) * 2 + (tasks ? 1 : 0);
    }

    @Override
    public String toString() {
        return address.getHostString() + ":" + port;
    }
}
