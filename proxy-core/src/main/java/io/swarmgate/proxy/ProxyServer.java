package io.swarmgate.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.swarmgate.proxy.acme.AcmeChallenges;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.io.Buffers;
import io.swarmgate.proxy.internal.io.Transport;
import io.swarmgate.proxy.internal.server.Http3Listeners;
import io.swarmgate.proxy.internal.server.ProxyChannelInitializer;
import io.swarmgate.proxy.internal.tcp.StreamListeners;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tcp.StreamTable;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.upstream.TaskAddresses;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP data plane: listens on one or more ports and routes every request through the current {@link RouteTable}.
 *
 * <pre>{@code
 * ProxyServer server = ProxyServer.builder()
 *         .http(8081)
 *         .routes(RouteTable.of(List.of(
 *                 Route.builder("go-demo").path("/demo").backend("localhost", 8080).build())))
 *         .build()
 *         .start();
 * server.routes(newTable);   // atomic: the next request sees it
 * server.stop();             // graceful: finishes requests in flight
 * }</pre>
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
    /** Ports the system chooses for a TLS listener before giving up on finding one whose UDP twin is free. */
    private static final int EPHEMERAL_TLS_ATTEMPTS = 8;
    private static final Duration LOOPS_STOP_LIMIT = Duration.ofSeconds(5);

    private final ProxySettings settings;
    private final Transport transport;
    private final ProxyContext context;
    private EventLoopGroup workers;
    private DnsAddressResolverGroup resolver;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Channel> tlsListeners = new ArrayList<>();
    private StreamListeners streams;
    private @Nullable Http3Listeners http3;
    private volatile boolean started;
    private volatile boolean stopped;

    private ProxyServer(ProxySettings settings) {
        this.settings = settings;
        this.transport = transport(settings.transport());
        this.context = new ProxyContext(settings.routes(), settings.timeouts(), transport, settings.observer(),
                settings.taskAddresses(), settings.taskRefresh(), settings.maxConnections(),
                settings.retryBufferBytes(), settings.errorPages(), settings.acmeChallenges(),
                settings.trustedProxies());
    }

    public static Builder builder() {
        return new Builder();
    }

    private static Transport transport(SocketTransport choice) {
        return switch (choice) {
            case AUTO -> Transport.EPOLL.unavailability() == null ? Transport.EPOLL : Transport.NIO;
            case IO_URING -> Transport.IO_URING.require();
            case EPOLL -> Transport.EPOLL.require();
            case NIO -> Transport.NIO;
        };
    }

    /** What to do about a port that could not be bound, as far as the error tells. */
    private static String bindHint(Exception e, int port) {
        if (addressInUse(e)) {
            return " (another process listens on port " + port + ": stop it, or choose another port)";
        }
        if (String.valueOf(e.getMessage()).contains("Permission denied") && port < 1024) {
            return " (a port below 1024 needs root or the CAP_NET_BIND_SERVICE capability; or choose a port above "
                    + "1023)";
        }
        return "";
    }

    /** Whether a bind failed because another socket holds the address (Netty says so only in the message). */
    private static boolean addressInUse(Exception e) {
        return String.valueOf(e.getMessage()).contains("Address already in use");
    }

    /** Binds every listener; returns once all accept connections. Fails whole if one port cannot be bound. */
    public synchronized ProxyServer start() {
        return start(true);
    }

    /**
     * Binds every listener as {@link #start} does, but accepts no connection until {@link #accept}: clients that
     * connect meanwhile wait in the listen backlog, so that none is answered from a table still being filled (a
     * replica restarting in a swarm answers its first request with the routes the others have).
     */
    public synchronized ProxyServer startHeld() {
        return start(false);
    }

    /** Starts accepting the connections {@link #startHeld} held; those waiting are taken first. */
    public synchronized void accept() {
        listeners.forEach(listener -> listener.config().setAutoRead(true));
        tlsListeners.forEach(listener -> listener.config().setAutoRead(true));
    }

    private ProxyServer start(boolean accepting) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        DnsNameResolverBuilder dns = new DnsNameResolverBuilder()
                .datagramChannelType(transport.datagramChannel())
                // Swarm's DNS is local and follows the tasks: an answer cached for its TTL would hide them.
                .resolveCache(NoopDnsCache.INSTANCE);
        InetSocketAddress nameServer = settings.nameServer();
        if (nameServer != null) {
            dns.nameServerProvider(new SingletonDnsServerAddressStreamProvider(nameServer));
        }
        resolver = new DnsAddressResolverGroup(dns);
        context.resolver(resolver);
        CertificateStore certificates = settings.certificates();
        if (certificates != null) {
            context.certificates(certificates);
        } else if (!settings.https().isEmpty()) {
            try {
                context.certificates(CertificateStore.of(List.of()));
            } catch (InvalidCertificateException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        workers = transport.newGroup(settings.ioThreads(), "swarmgate-io");
        settings.taskAddresses().watch(this::tasksChanged);
        streams = new StreamListeners(context, workers, settings.ioThreads(), settings.bindAddress());
        ServerBootstrap bootstrap = new ServerBootstrap()
                // Listeners share the I/O threads: on few cores a separate accept thread only adds hand-offs.
                .group(workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, accepting)
                .childOption(ChannelOption.ALLOCATOR, Buffers.ALLOCATOR)
                // No TCP_NODELAY: Netty's socket channels set it when they are made, and a second setsockopt per
                // connection only costs a system call.
                // Room for a 64 KiB answer and its head between flushes: below that, every such answer would stop
                // and restart reading its backend (two epoll_ctl calls) while it is written.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 128 * 1024));
        int binding = 0;
        try {
            for (ProxySettings.Listener listen : settings.http()) {
                binding = listen.port();
                listeners.add(bootstrap.clone()
                        .childHandler(new ProxyChannelInitializer(context, false, settings.h2c(),
                                listen.proxyProtocol()))
                        .bind(new InetSocketAddress(settings.bindAddress(), listen.port())).syncUninterruptibly()
                        .channel());
            }
            for (ProxySettings.Listener listen : settings.https()) {
                binding = listen.port();
                tlsListeners.add(bindTls(bootstrap, listen));
            }
            bindHttp3(bootstrap);
        } catch (IllegalStateException e) {
            shutdownNow();
            throw e;
        } catch (Exception e) { // bind failures arrive as checked exceptions, rethrown unchecked by Netty
            shutdownNow();
            throw new IllegalStateException("cannot bind the data plane to " + settings.bindAddress() + " port "
                    + binding + ": " + e.getMessage() + bindHint(e, binding), e);
        }
        log.info("Data plane listening on {}{}{} ({} transport, {} I/O threads)", ports(),
                tlsListeners.isEmpty() ? "" : " and with TLS on " + httpsPorts(),
                http3 == null ? "" : ", HTTP/3 on UDP " + http3.ports(), transport, settings.ioThreads());
        if (transport == Transport.IO_URING) {
            log.warn("The io_uring transport is an experiment: with Netty's, the JVM aborted twice in Swarmgate's "
                    + "tests with native heap corruption, and a closing socket can stay open until its peer closes "
                    + "(docs/performance.md, io_uring)");
        }
        return this;
    }

    private Channel bindTls(ServerBootstrap bootstrap, ProxySettings.Listener listen) {
        return bootstrap.clone()
                .childHandler(new ProxyChannelInitializer(context, true, false, listen.proxyProtocol()))
                .bind(new InetSocketAddress(settings.bindAddress(), listen.port())).syncUninterruptibly()
                .channel();
    }

    /** HTTP/3 on the UDP side of the TLS ports that take no PROXY protocol header, where QUIC loads. */
    private void bindHttp3(ServerBootstrap bootstrap) {
        if (!settings.http3() || settings.https().stream().allMatch(ProxySettings.Listener::proxyProtocol)) {
            return;
        }
        if (!Http3Listeners.available()) {
            log.info("HTTP/3 is off: QUIC's native library does not load here ({})", Http3Listeners.unavailability());
            return;
        }
        http3 = new Http3Listeners(context, workers);
        for (int i = 0; i < tlsListeners.size(); i++) {
            if (!settings.https().get(i).proxyProtocol()) {
                bindHttp3(bootstrap, i);
            }
        }
        context.http3Ports(http3.ports());
    }

    /**
     * Binds the UDP side of TLS listener {@code i}. A TLS port the system chose can have its UDP twin taken by another
     * process: that listener then takes another port the system chooses, a few times, as a user asking for "any
     * port" expects.
     */
    private void bindHttp3(ServerBootstrap bootstrap, int i) {
        ProxySettings.Listener listen = settings.https().get(i);
        for (int attempt = 1; ; attempt++) {
            int port = ((InetSocketAddress) tlsListeners.get(i).localAddress()).getPort();
            try {
                http3.bind(settings.bindAddress(), port);
                return;
            } catch (Exception e) {
                if (listen.port() != 0 || !addressInUse(e) || attempt == EPHEMERAL_TLS_ATTEMPTS) {
                    throw new IllegalStateException("cannot bind HTTP/3 to " + settings.bindAddress() + " UDP port "
                            + port + ": " + e.getMessage() + bindHint(e, port), e);
                }
                tlsListeners.get(i).close().syncUninterruptibly();
                tlsListeners.set(i, bindTls(bootstrap, listen));
            }
        }
    }

    /** The bound UDP ports serving HTTP/3, in the order of the TLS ports; empty when HTTP/3 is off. */
    public List<Integer> http3Ports() {
        return http3 == null ? List.of() : http3.ports();
    }

    /**
     * Publishes a new set of certificates; TLS handshakes that start after this call use it, connections already open
     * keep theirs.
     */
    public void certificates(CertificateStore store) {
        context.certificates(Objects.requireNonNull(store, "store"));
    }

    public CertificateStore certificates() {
        return context.certificates();
    }

    /** The task source says {@code service}'s tasks changed: its backends read them again now. */
    private void tasksChanged(String service) {
        if (stopped) {
            return;
        }
        try {
            context.tasksChanged(service.toLowerCase(Locale.ROOT), workers.next());
        } catch (RejectedExecutionException e) {
            // Stopping: the loops take no more work, and the tasks no longer matter.
        }
    }

    /** Publishes a new routing table; requests that start after this call use it. */
    public void routes(RouteTable table) {
        context.routes(Objects.requireNonNull(table, "table"));
    }

    /**
     * Publishes new TCP routes: listeners open for the ports they use and close for those no route uses any more;
     * connections accepted after this call use them. Call it once the server is started.
     *
     * @throws io.swarmgate.proxy.tcp.PortUnavailableException when a port cannot be listened on; nothing changes
     */
    public void streams(StreamTable table) {
        if (streams == null) {
            throw new IllegalStateException("not started");
        }
        streams.publish(Objects.requireNonNull(table, "table"));
    }

    public StreamTable streams() {
        return streams == null ? StreamTable.EMPTY : streams.table();
    }

    /** The ports TCP routes listen on, ascending. */
    public List<Integer> streamPorts() {
        return streams == null ? List.of() : streams.ports();
    }

    /** The tasks of every task-balanced service that has served a request, with their load and health. */
    public List<TaskState> tasks() {
        return context.taskStates();
    }

    public RouteTable routes() {
        return context.routes();
    }

    /** The bound plain HTTP ports, in the order they were given to the builder (port 0 shows the port chosen). */
    public List<Integer> ports() {
        return portsOf(listeners);
    }

    /** The bound TLS ports, in the order they were given to the builder. */
    public List<Integer> httpsPorts() {
        return portsOf(tlsListeners);
    }

    private static List<Integer> portsOf(List<Channel> channels) {
        List<Integer> ports = new ArrayList<>();
        for (Channel listener : channels) {
            ports.add(((InetSocketAddress) listener.localAddress()).getPort());
        }
        return ports;
    }

    /** The first bound port. */
    public int port() {
        return ports().get(0);
    }

    public Timeouts timeouts() {
        return settings.timeouts();
    }

    /**
     * What this server was built with; the routes and certificates it serves now are {@link #routes()} and
     * {@link #certificates()}.
     */
    public ProxySettings settings() {
        return settings;
    }

    /**
     * Stops gracefully: no new connections, idle connections closed, busy ones closed after their current answer;
     * whatever is still open after the grace period is closed.
     */
    public synchronized void stop() {
        if (!started || stopped) {
            return;
        }
        stopped = true;
        context.startDraining();
        for (Channel listener : listeners) {
            listener.close().syncUninterruptibly();
        }
        for (Channel listener : tlsListeners) {
            listener.close().syncUninterruptibly();
        }
        streams.close();
        // Connections accepted just before the listeners closed may still be registering on the I/O threads; a task
        // queued on each thread runs after those registrations, so it reaches every connection.
        onEachLoop(context::drainClients);
        if (!context.awaitDrained(settings.shutdownGrace())) {
            onEachLoop(context::closeClients);
        }
        if (http3 != null) {
            http3.close(); // after the drain: QUIC's streams finish on the UDP channel, which takes no new ones
        }
        closeIdleBackends();
        shutdownNow();
        log.info("Data plane stopped");
    }

    @Override
    public void close() {
        stop();
    }

    private void onEachLoop(Consumer<EventLoop> action) {
        for (EventExecutor worker : workers) {
            EventLoop loop = (EventLoop) worker;
            loop.submit(() -> action.accept(loop)).syncUninterruptibly();
        }
    }

    /**
     * Closes the pooled backend connections while their event loops still run: io_uring's loops, left to close them as
     * they stop, drop the receive buffers of reads still pending.
     */
    private void closeIdleBackends() {
        List<Future<Void>> closing = new ArrayList<>();
        onEachLoop(loop -> closing.addAll(context.closeIdleBackends(loop)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (Future<Void> closed : closing) {
            closed.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private void shutdownNow() {
        resolver.close();
        // The quiet period lets closes still under way finish on running loops: io_uring's complete only when the
        // kernel gives back the connection's pending read, and a loop already stopping refuses their last step.
        Future<?> stopped = workers.shutdownGracefully(20, 1000, TimeUnit.MILLISECONDS);
        // Netty 4.2.18's io_uring loop, as it stops, waits for every operation it submitted, and one poll was seen
        // never to end: stop() returns anyway rather than hold its caller forever.
        if (!stopped.awaitUninterruptibly(LOOPS_STOP_LIMIT.toMillis())) {
            log.warn("The data plane's event loops did not stop within {}; their threads are left behind",
                    LOOPS_STOP_LIMIT);
        }
    }

    /**
     * Settings of a {@link ProxyServer}; each setter checks its value at once. {@link #build()} copies them, so one
     * builder may build several servers, each keeping the settings it was built with.
     */
    public static final class Builder {
        private final List<ProxySettings.Listener> ports = new ArrayList<>();
        private final List<ProxySettings.Listener> httpsPorts = new ArrayList<>();
        private @Nullable CertificateStore certificates;
        private String bindAddress = "0.0.0.0";
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private RouteTable routes = RouteTable.EMPTY;
        private int ioThreads = Runtime.getRuntime().availableProcessors();
        private SocketTransport transport = SocketTransport.AUTO;
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private ProxyObserver observer = ProxyObserver.NONE;
        private Duration taskRefresh = Duration.ofSeconds(1);
        private TaskAddresses taskAddresses = TaskAddresses.DNS;
        private int maxConnections = 5000;
        private int retryBufferBytes = 64 * 1024;
        private ErrorPages errorPages = ErrorPages.NONE;
        private @Nullable InetSocketAddress nameServer;
        private boolean h2c;
        private @Nullable AcmeChallenges challenges;
        private boolean http3;
        private TrustedProxies trustedProxies = TrustedProxies.NONE;

        private Builder() {
        }

        /** Adds a plain HTTP listener; port 0 picks a free port. */
        public Builder http(int port) {
            return http(port, false);
        }

        /**
         * Adds a plain HTTP listener; port 0 picks a free port.
         *
         * @param proxyProtocol whether each connection starts with a PROXY protocol header (v1 or v2, HAProxy's
         *                      {@code accept-proxy}): the client address it carries is the one
         *                      {@code X-Forwarded-For}, the observer and the rules see; a connection whose header is
         *                      malformed, or that sends none within the request timeout, is closed
         */
        public Builder http(int port, boolean proxyProtocol) {
            ports.add(new ProxySettings.Listener(checkedPort(port), proxyProtocol));
            return this;
        }

        /** Adds a TLS listener (HTTPS), serving the {@linkplain #certificates certificates}; port 0 picks a free port. */
        public Builder https(int port) {
            return https(port, false);
        }

        /**
         * Adds a TLS listener (HTTPS), serving the {@linkplain #certificates certificates}; port 0 picks a free port.
         *
         * @param proxyProtocol whether each connection starts with a PROXY protocol header, before the TLS handshake,
         *                      as for {@link #http(int, boolean)}
         */
        public Builder https(int port, boolean proxyProtocol) {
            httpsPorts.add(new ProxySettings.Listener(checkedPort(port), proxyProtocol));
            return this;
        }

        private static int checkedPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
            }
            return port;
        }

        /** The certificates TLS listeners start with; default a self-signed one for localhost. */
        public Builder certificates(CertificateStore store) {
            this.certificates = Objects.requireNonNull(store, "certificates");
            return this;
        }

        /**
         * Whether plain HTTP listeners also serve HTTP/2 to clients that start with its preface (h2c with prior
         * knowledge); default false. On TLS listeners HTTP/2 is chosen by ALPN, as the certificates'
         * {@link io.swarmgate.proxy.tls.TlsPolicy} allows.
         */
        public Builder h2c(boolean enabled) {
            this.h2c = enabled;
            return this;
        }

        /**
         * Whether TLS listeners also serve HTTP/3 over QUIC on the UDP port of the same number (not those with a
         * PROXY protocol header, which QUIC cannot carry), advertised to their HTTP/1.1 and HTTP/2 clients with
         * {@code Alt-Svc}; default false. Where QUIC's native library does not load, the server says so once in the
         * log and serves TCP alone.
         */
        public Builder http3(boolean enabled) {
            this.http3 = enabled;
            return this;
        }

        /** The address every listener binds to; default all interfaces. */
        public Builder bindAddress(String address) {
            this.bindAddress = Objects.requireNonNull(address, "bindAddress");
            return this;
        }

        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        /** The table served from the start; default empty (every request gets 503). */
        public Builder routes(RouteTable routes) {
            this.routes = Objects.requireNonNull(routes, "routes");
            return this;
        }

        /** Event-loop threads for client and backend connections; default one per CPU. */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("ioThreads: " + threads + " (expected: 1 or more)");
            }
            this.ioThreads = threads;
            return this;
        }

        /** The socket implementation; default {@link SocketTransport#AUTO}. */
        public Builder transport(SocketTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** How long {@link #stop()} lets requests in flight finish; default 10 s. */
        public Builder shutdownGrace(Duration grace) {
            Objects.requireNonNull(grace, "shutdownGrace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("shutdownGrace: " + grace + " (expected: zero or positive)");
            }
            this.shutdownGrace = grace;
            return this;
        }

        /** Receives every connection and exchange, e.g. to publish metrics; default none. */
        public Builder observer(ProxyObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * How old the resolved tasks of a {@linkplain io.swarmgate.proxy.upstream.Backend#tasks task-balanced} service
         * may get before a request triggers a new lookup in the background; default 1 s. A failing task triggers one
         * at once.
         */
        public Builder taskRefresh(Duration interval) {
            Objects.requireNonNull(interval, "taskRefresh");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("taskRefresh: " + interval + " (expected: positive)");
            }
            this.taskRefresh = interval;
            return this;
        }

        /**
         * Where the addresses of {@linkplain io.swarmgate.proxy.upstream.Backend#tasks task-balanced} services come
         * from; default {@link TaskAddresses#DNS}: {@code tasks.<service>} is resolved. The services the source does
         * not know are still resolved, and a change it reports is followed at once.
         */
        public Builder taskAddresses(TaskAddresses source) {
            this.taskAddresses = Objects.requireNonNull(source, "taskAddresses");
            return this;
        }

        /**
         * Client connections served at once, over every listener; default 5000, as Docker Flow Proxy's maxconn. A
         * connection beyond it gets a 503 saying so and is closed, without its request being read.
         */
        public Builder maxConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("maxConnections: " + connections + " (expected: 1 or more)");
            }
            this.maxConnections = connections;
            return this;
        }

        /**
         * How much of a request body is kept so that an idempotent request (PUT, DELETE, …) that failed after being
         * sent can be sent again to another task; default 64 KiB, 0 to retry bodiless requests only.
         */
        public Builder retryBufferBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("retryBufferBytes: " + bytes + " (expected: 0 or more)");
            }
            this.retryBufferBytes = bytes;
            return this;
        }

        /** HTML pages replacing the proxy's own answers for some statuses; default none (short plain text). */
        public Builder errorPages(ErrorPages pages) {
            this.errorPages = Objects.requireNonNull(pages, "errorPages");
            return this;
        }

        /**
         * The ACME validations the listeners answer (HTTP-01 on the plain ones before any route or redirect,
         * TLS-ALPN-01 on the TLS ones); default a set of each server's own, empty until something orders a
         * certificate.
         */
        public Builder acmeChallenges(AcmeChallenges challenges) {
            this.challenges = Objects.requireNonNull(challenges, "acmeChallenges");
            return this;
        }

        /**
         * The proxies in front whose {@code X-Forwarded-For} names the client, for the IP lists, the rate limit and
         * the access log; default none: the client is always the connection's (or the PROXY protocol's) address.
         */
        public Builder trustedProxies(TrustedProxies proxies) {
            this.trustedProxies = Objects.requireNonNull(proxies, "trustedProxies");
            return this;
        }

        /** The DNS server to ask; default those of {@code /etc/resolv.conf} (in a Swarm task, Docker's). */
        public Builder nameServer(InetSocketAddress server) {
            this.nameServer = Objects.requireNonNull(server, "nameServer");
            return this;
        }

        public ProxyServer build() {
            if (ports.isEmpty() && httpsPorts.isEmpty()) {
                throw new IllegalStateException("no listener: call http(port) or https(port) at least once");
            }
            return new ProxyServer(new ProxySettings(ports, httpsPorts, certificates, bindAddress, timeouts, routes,
                    ioThreads, transport, shutdownGrace, observer, taskRefresh, taskAddresses, maxConnections,
                    retryBufferBytes, errorPages, nameServer, h2c,
                    challenges != null ? challenges : new AcmeChallenges(), http3, trustedProxies));
        }
    }
}
