package io.swarmgate.proxy.upstream;

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
    private final BackendProtocol protocol;
    private final ProxyHeader proxyHeader;

    private Backend(String host, int port, boolean tasks, TaskBalancing balancing, BackendProtocol protocol,
                    ProxyHeader proxyHeader) {
        this.protocol = protocol;
        this.proxyHeader = proxyHeader;
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
        return new Backend(host.toLowerCase(Locale.ROOT), port, tasks, balancing, BackendProtocol.HTTP1,
                ProxyHeader.NONE);
    }

    /**
     * This backend, spoken to in {@code protocol}. With {@link BackendProtocol#H2C} (gRPC servers) the proxy's exchange
     * is carried on one stream at a time per connection and trailers pass both ways; with TLS the backend is
     * connected to over TLS, its certificate checked or not.
     */
    public Backend protocol(BackendProtocol protocol) {
        return protocol == this.protocol ? this : new Backend(host, port, tasks, balancing,
                Objects.requireNonNull(protocol, "protocol"), proxyHeader);
    }

    public BackendProtocol protocol() {
        return protocol;
    }

    /**
     * This backend, sent {@code header} first on each new connection. Such connections are never pooled: the header
     * names one client connection, so a connection that carried it serves that client's one exchange only.
     */
    public Backend proxyHeader(ProxyHeader header) {
        return header == this.proxyHeader ? this : new Backend(host, port, tasks, balancing, protocol,
                Objects.requireNonNull(header, "header"));
    }

    public ProxyHeader proxyHeader() {
        return proxyHeader;
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
                && Objects.equals(balancing, other.balancing) && protocol == other.protocol
                && proxyHeader == other.proxyHeader;
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
