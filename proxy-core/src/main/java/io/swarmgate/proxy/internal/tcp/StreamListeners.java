package io.swarmgate.proxy.internal.tcp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.io.Buffers;
import io.swarmgate.proxy.internal.io.Transport;
import io.swarmgate.proxy.tcp.PortUnavailableException;
import io.swarmgate.proxy.tcp.StreamRoute;
import io.swarmgate.proxy.tcp.StreamTable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP listeners of the {@link StreamRoute}s: one per port some route uses, opened when a published table first
 * needs it and closed when none does any more. Connections already accepted on a closed port keep relaying. A
 * connection reads the table once, when it is accepted.
 *
 * <p>Relays keep half-closed connections open, and Netty 4.2.18's epoll transport drops a half-closed socket from its
 * epoll set once it waits for nothing else, so a later write that has to wait fails and loses bytes. Where the proxy
 * runs on a native transport (epoll or io_uring), its TCP listeners and relays therefore run on Java NIO event loops
 * of their own (as many as the proxy's); they are started on first use.
 *
 * <p>Internal: public for {@code proxy} only.
 */
public final class StreamListeners {
    private static final Logger log = LoggerFactory.getLogger(StreamListeners.class);

    private final ServerBootstrap bootstrap;
    private final Transport relays = Transport.NIO;
    private final boolean separateLoops;
    private final int threads;
    private static final int MAX_RELEASE_PASSES = 100;
    private static final int PROBE_TIMEOUT_MILLIS = 200;

    private final String bindAddress;
    private final EventLoopGroup workers;
    private EventLoopGroup ownLoops; // guarded by this; created with the first listener
    private final Map<Integer, Channel> listeners = new TreeMap<>(); // guarded by this
    private volatile StreamTable table = StreamTable.EMPTY;
    private boolean closed; // guarded by this

    /** @param workers the proxy's event loops; they resolve names and check tasks for the relays */
    public StreamListeners(ProxyContext context, EventLoopGroup workers, int threads, String bindAddress) {
        this.bindAddress = bindAddress;
        this.workers = workers;
        this.separateLoops = relays != context.transport();
        this.threads = threads;
        this.bootstrap = new ServerBootstrap()
                .channel(relays.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, Buffers.ALLOCATOR)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        int port = ((InetSocketAddress) ch.localAddress()).getPort();
                        StreamTable snapshot = table;
                        StreamRelay relay = new StreamRelay(context, snapshot, port, relays,
                                (EventLoop) workers.next());
                        if (snapshot.inspects(port)) {
                            ch.pipeline().addLast(new ServerNameInspector(snapshot, port, relay));
                        }
                        ch.pipeline().addLast(relay);
                    }
                });
    }

    /**
     * Opens a listener on every port of the table that has none, publishes the table, then closes the listeners no
     * route uses any more. Returns once every listener is open or closed.
     *
     * @throws PortUnavailableException when a port cannot be listened on; the previous table and listeners stay
     */
    public synchronized void publish(StreamTable next) {
        if (closed) {
            throw new IllegalStateException("the data plane is stopped");
        }
        List<Integer> opened = new ArrayList<>();
        if (bootstrap.config().group() == null && !next.isEmpty()) {
            if (separateLoops) { // see the class comment
                ownLoops = relays.newGroup(threads, "swarmgate-tcp");
            }
            bootstrap.group(ownLoops != null ? ownLoops : workers);
        }
        for (int port : next.ports()) {
            if (!listeners.containsKey(port)) {
                try {
                    listeners.put(port, bootstrap.bind(new InetSocketAddress(bindAddress, port)).syncUninterruptibly()
                            .channel());
                } catch (Exception e) { // bind failures arrive as checked exceptions, rethrown unchecked by Netty
                    opened.forEach(p -> listeners.remove(p).close().syncUninterruptibly());
                    throw new PortUnavailableException(port, e);
                }
                opened.add(port);
            }
        }
        table = next;
        Set<Integer> used = next.ports();
        for (Iterator<Map.Entry<Integer, Channel>> it = listeners.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, Channel> listener = it.next();
            if (!used.contains(listener.getKey())) {
                closeAndRelease(listener.getValue());
                it.remove();
                log.info("TCP listener on port {} closed: no route uses it", listener.getKey());
            }
        }
        if (!opened.isEmpty()) {
            log.info("TCP listener(s) opened on port(s) {}", opened);
        }
    }

    /**
     * Closes a listener and returns once its port refuses connections. On NIO the JDK closes a channel registered with
     * a selector only when the selector has dropped its cancelled key, on one of its next passes: until then the kernel
     * still accepts on the port. A task scheduled on the listener's loop runs only after the loop's next I/O pass; the
     * loop is given passes until a connection to the port is refused (on a loaded machine one pass was not always
     * enough), at most {@link #MAX_RELEASE_PASSES}.
     */
    private static void closeAndRelease(Channel listener) {
        listener.close().syncUninterruptibly();
        InetSocketAddress port = (InetSocketAddress) listener.localAddress();
        for (int pass = 0; pass < MAX_RELEASE_PASSES && accepts(port); pass++) {
            listener.eventLoop().schedule(() -> { }, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    /**
     * Whether the kernel still accepts a connection on the port, tried on loopback when it listened on every address.
     */
    private static boolean accepts(InetSocketAddress listened) {
        InetAddress address = listened.getAddress().isAnyLocalAddress() ? InetAddress.getLoopbackAddress()
                : listened.getAddress();
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(address, listened.getPort()), PROBE_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public StreamTable table() {
        return table;
    }

    /** The ports listened on, ascending. */
    public synchronized List<Integer> ports() {
        return List.copyOf(listeners.keySet());
    }

    /**
     * Closes every listener; relayed connections close with their event loops: the relays' own at once, the proxy's
     * when it stops.
     */
    public synchronized void close() {
        closed = true;
        listeners.values().forEach(listener -> listener.close().syncUninterruptibly());
        listeners.clear();
        if (ownLoops != null) {
            ownLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
