package io.swarmgate.proxy.internal;

import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.FastThreadLocal;
import io.swarmgate.proxy.Timeouts;
import io.swarmgate.proxy.route.RouteTable;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * What every connection handler of one proxy server shares: the published routing table, the settings, and the
 * backend connection pools, one per event loop so that no pool is ever touched by two threads.
 */
public final class ProxyContext {
    /** The user event that tells every client connection the server is draining. */
    public static final Object DRAIN = new Object();

    private volatile RouteTable routes;
    private volatile boolean draining;
    private final Timeouts timeouts;
    private final Transport transport;
    private AddressResolverGroup<InetSocketAddress> resolver;
    private final FastThreadLocal<BackendPool> pools = new FastThreadLocal<>();
    private final FastThreadLocal<ConnectionTimers> timers = new FastThreadLocal<>();

    final long clientTimeoutNanos;
    final long serverTimeoutNanos;
    final long httpRequestTimeoutNanos;
    final long keepAliveTimeoutNanos;
    final int connectTimeoutMillis;

    public ProxyContext(RouteTable routes, Timeouts timeouts, Transport transport) {
        this.routes = routes;
        this.timeouts = timeouts;
        this.transport = transport;
        this.clientTimeoutNanos = timeouts.client().toNanos();
        this.serverTimeoutNanos = timeouts.server().toNanos();
        this.httpRequestTimeoutNanos = timeouts.httpRequest().toNanos();
        this.keepAliveTimeoutNanos = timeouts.httpKeepAlive().toNanos();
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis());
    }

    /** The current snapshot; a request reads it once and keeps it to the end. */
    public RouteTable routes() {
        return routes;
    }

    /** Publishes a new snapshot with one volatile write: the next request sees it. */
    public void routes(RouteTable table) {
        this.routes = table;
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    /** Set when the server stops: responses then close their connections instead of keeping them alive. */
    public void startDraining() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    /** The calling event loop's pool; created on first use on that loop. */
    BackendPool pool(EventLoop loop) {
        BackendPool pool = pools.getIfExists();
        if (pool == null) {
            pool = new BackendPool(loop, this);
            pools.set(pool);
        }
        return pool;
    }

    /** Set once when the server starts, before any connection exists. */
    public void resolver(AddressResolverGroup<InetSocketAddress> resolver) {
        this.resolver = resolver;
    }

    /** The calling event loop's timers; created on first use on that loop. */
    ConnectionTimers timers(EventLoop loop) {
        ConnectionTimers loopTimers = timers.getIfExists();
        if (loopTimers == null) {
            loopTimers = new ConnectionTimers(loop);
            timers.set(loopTimers);
        }
        return loopTimers;
    }

    Transport transport() {
        return transport;
    }

    AddressResolverGroup<InetSocketAddress> resolver() {
        return resolver;
    }

    long pooledIdleTimeoutNanos() {
        // Shorter than the common backend keep-alive timeouts (Node.js: 5 s), so the proxy closes first.
        return Math.min(keepAliveTimeoutNanos, TimeUnit.SECONDS.toNanos(4));
    }
}
