package io.swarmgate.proxy.internal.context;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.Future;
import io.swarmgate.proxy.ErrorPages;
import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.TaskState;
import io.swarmgate.proxy.Timeouts;
import io.swarmgate.proxy.TrustedProxies;
import io.swarmgate.proxy.acme.AcmeChallenges;
import io.swarmgate.proxy.internal.io.Buffers;
import io.swarmgate.proxy.internal.io.Transport;
import io.swarmgate.proxy.internal.upstream.BackendTls;
import io.swarmgate.proxy.internal.upstream.Endpoint;
import io.swarmgate.proxy.internal.upstream.PoolSettings;
import io.swarmgate.proxy.internal.upstream.TaskGroup;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.proxy.upstream.TaskAddresses;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * What every connection handler of one proxy server shares: the published routing table, the settings, the observer,
 * and each event loop's own state (backend pool, timers, client connections), so that none is touched by two threads.
 *
 * <p>Internal: public for {@code exchange}, {@code front}, {@code proxy}, {@code server}, {@code tcp} only.
 */
public final class ProxyContext {
    private volatile RouteTable routes;
    private volatile boolean draining;
    private volatile CertificateStore certificates;
    private volatile boolean countingDown;
    private volatile Map<Integer, byte[]> altSvc = Map.of();
    private final Transport transport;
    public final ProxyObserver observer;
    private AddressResolverGroup<InetSocketAddress> resolver;
    private final FastThreadLocal<LoopState> loops = new FastThreadLocal<>();
    private final AtomicInteger openClients = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final ConcurrentHashMap<Backend, TaskGroup> taskGroups = new ConcurrentHashMap<>();
    private final TaskAddresses taskAddresses;
    private final long taskRefreshNanos;
    private final int maxConnections;

    public final long clientTimeoutNanos;
    public final long serverTimeoutNanos;
    public final long httpRequestTimeoutNanos;
    public final long keepAliveTimeoutNanos;
    /** Shorter than the common backend keep-alive timeouts (Node.js: 5 s), so the proxy closes first. */
    final long pooledIdleTimeoutNanos;
    public final int connectTimeoutMillis;
    private final BackendTls backendTls = new BackendTls();
    /** The user's pages for the proxy's own error answers. */
    public final ErrorPages errorPages;
    /** Says in the log why the proxy answered a request itself or closed a relay. */
    public final FailureLog failures = new FailureLog();
    /** Body bytes kept per request so that an idempotent one can be retried after it was sent. */
    public final int retryBufferBytes;
    /** The ACME validations this replica answers before routing. */
    public final AcmeChallenges challenges;
    /** The peers whose {@code X-Forwarded-For} names the client. */
    public final TrustedProxies trustedProxies;

    public ProxyContext(RouteTable routes, Timeouts timeouts, Transport transport, ProxyObserver observer,
                        TaskAddresses taskAddresses, Duration taskRefresh, int maxConnections, int retryBufferBytes,
                        ErrorPages errorPages, AcmeChallenges challenges, TrustedProxies trustedProxies) {
        this.errorPages = errorPages;
        this.trustedProxies = trustedProxies;
        this.challenges = challenges;
        this.taskAddresses = taskAddresses;
        this.taskRefreshNanos = taskRefresh.toNanos();
        this.retryBufferBytes = retryBufferBytes;
        this.maxConnections = maxConnections;
        this.routes = routes;
        this.observer = observer;
        this.transport = transport;
        this.clientTimeoutNanos = timeouts.client().toNanos();
        this.serverTimeoutNanos = timeouts.server().toNanos();
        this.httpRequestTimeoutNanos = timeouts.httpRequest().toNanos();
        this.keepAliveTimeoutNanos = timeouts.httpKeepAlive().toNanos();
        this.pooledIdleTimeoutNanos = Math.min(keepAliveTimeoutNanos, TimeUnit.SECONDS.toNanos(4));
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeouts.connect().toMillis());
    }

    /**
     * The TLS ports whose UDP side serves HTTP/3: their answers over TCP advertise it. Set once, when HTTP/3 is
     * bound.
     */
    public void http3Ports(List<Integer> ports) {
        Map<Integer, byte[]> lines = new HashMap<>();
        for (int port : ports) {
            // A day, as Caddy and nginx advertise it: a client that tries HTTP/3 and fails falls back on its own.
            lines.put(port, ("alt-svc: h3=\":" + port + "\"; ma=86400\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        altSvc = Map.copyOf(lines);
    }

    /** The {@code Alt-Svc} field line for answers on this local port over TLS, or {@code null} when none applies. */
    public byte @Nullable [] altSvc(int localPort) {
        return altSvc.get(localPort);
    }

    /** The current snapshot; a request reads it once and keeps it to the end. */
    public RouteTable routes() {
        return routes;
    }

    /** Publishes a new snapshot with one volatile write: the next request sees it. */
    public void routes(RouteTable table) {
        this.routes = table;
    }

    /** The certificates TLS handshakes choose from; read once per handshake. */
    public CertificateStore certificates() {
        return certificates;
    }

    /** Publishes new certificates: the next handshake sees them. */
    public void certificates(CertificateStore store) {
        this.certificates = store;
    }

    /** Set when the server stops: responses then close their connections instead of keeping them alive. */
    public void startDraining() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /** Closes every idle client connection of the calling event loop; busy ones close after their answer. */
    public void drainClients(EventLoop loop) {
        loop(loop).clients().forEach(ClientExchange::drain);
        loop(loop).streamConnections().forEach(Drainable::drain);
    }

    /** Closes every client connection of the calling event loop now. */
    public void closeClients(EventLoop loop) {
        loop(loop).clients().forEach(ClientExchange::close);
    }

    /** Closes the calling event loop's idle backend connections; the futures complete as each is closed. */
    public List<Future<Void>> closeIdleBackends(EventLoop loop) {
        return loop(loop).pool().closeIdle();
    }

    /**
     * Waits until every client connection is closed; false if time ran out. Call it after {@link #drainClients} ran
     * on every loop: only then are connections accepted at the last moment counted.
     */
    public boolean awaitDrained(Duration grace) {
        countingDown = true;
        if (openClients.get() == 0) {
            drained.complete(null);
        }
        try {
            drained.get(grace.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts a new client connection; false when it is one too many. */
    public boolean clientOpened() {
        return openClients.incrementAndGet() <= maxConnections;
    }

    public void clientClosed() {
        if (openClients.decrementAndGet() == 0 && countingDown) {
            drained.complete(null);
        }
    }

    /** The calling event loop's own state; created on first use on that loop. */
    public LoopState loop(EventLoop loop) {
        LoopState state = loops.getIfExists();
        if (state == null) {
            state = new LoopState(loop, new PoolSettings(transport, resolver, connectTimeoutMillis,
                    pooledIdleTimeoutNanos, backendTls), serverTimeoutNanos);
            loops.set(state);
        }
        return state;
    }

    /** Set once when the server starts, before any connection exists. */
    public void resolver(AddressResolverGroup<InetSocketAddress> resolver) {
        this.resolver = resolver;
    }

    public Transport transport() {
        return transport;
    }

    AddressResolverGroup<InetSocketAddress> resolver() {
        return resolver;
    }

    /** A client on {@code loop} with the proxy's transport, resolver and connect timeout, for route policies. */
    public Bootstrap connector(EventLoop loop) {
        return new Bootstrap().group(loop).channel(transport.socketChannel()).resolver(resolver)
                .option(ChannelOption.ALLOCATOR, Buffers.ALLOCATOR)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
    }

    /** The calling event loop's resolver. */
    public AddressResolver<InetSocketAddress> resolver(EventLoop loop) {
        return resolver.getResolver(loop);
    }

    /** A snapshot of every task group's tasks, for metrics. */
    public List<TaskState> taskStates() {
        long now = System.nanoTime();
        List<TaskState> states = new ArrayList<>();
        taskGroups.forEach((backend, group) -> {
            for (Endpoint endpoint : group.endpoints()) {
                InetSocketAddress address = endpoint.address();
                states.add(new TaskState(backend.host(), address.getAddress().getHostAddress() + ":" + address.getPort(),
                        endpoint.inFlight(), endpoint.pooled(), endpoint.available(now)));
            }
        });
        return states;
    }

    /** The tasks of a task-balanced backend, shared by every event loop. */
    public TaskGroup tasks(Backend backend) {
        TaskGroup group = taskGroups.get(backend);
        return group != null ? group
                : taskGroups.computeIfAbsent(backend, b -> new TaskGroup(b, taskAddresses, taskRefreshNanos, transport));
    }

    /**
     * Refreshes, on {@code loop}, the tasks of every backend of {@code service} that has been used: the task source
     * says they changed.
     */
    public void tasksChanged(String service, EventLoop loop) {
        taskGroups.forEach((backend, group) -> {
            if (backend.host().equals(service)) {
                loop.execute(() -> group.refresh(resolver(loop)));
            }
        });
    }
}
