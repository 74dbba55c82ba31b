package io.swarmgate.proxy.internal.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.swarmgate.proxy.FailureReason;
import io.swarmgate.proxy.internal.context.FailureLog;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.io.Buffers;
import io.swarmgate.proxy.internal.io.Deadline;
import io.swarmgate.proxy.internal.io.Transport;
import io.swarmgate.proxy.internal.upstream.Endpoint;
import io.swarmgate.proxy.internal.upstream.TaskGroup;
import io.swarmgate.proxy.tcp.StreamRoute;
import io.swarmgate.proxy.tcp.StreamTable;
import io.swarmgate.proxy.upstream.Backend;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * One client connection of a TCP listener, relayed byte for byte to its route's backend: to the name, or to one of the
 * service's tasks (a task that refuses is ejected and another tried, as for HTTP). Each side is read only while the
 * other can take more, so a slow peer holds at most a read buffer here. A side that ends its output (half-close) has
 * that end passed on once its bytes are written, and the relay stays open the other way; it closes when both ways
 * have ended, when either connection closes, or when no byte passed for the route's idle timeout.
 *
 * <p>It may run on another transport than the proxy's (see {@link StreamListeners}): names are resolved, and tasks
 * checked, on a loop of the proxy's own.
 */
final class StreamRelay extends ChannelInboundHandlerAdapter {
    private static final int MAX_ATTEMPTS = 3;

    private final ProxyContext context;
    private final StreamTable table;
    private final int port;
    private final Transport transport;
    /** A loop of the proxy's own transport, whose resolver and health checks serve this relay. */
    private final EventLoop helper;
    private Channel client;
    private Deadline idle;
    private StreamRoute route;
    private long idleNanos;
    private Endpoint endpoint;
    private int attempts;
    private Channel backend;
    /** The address the last connection attempt went to, for the log when it fails. */
    private InetSocketAddress tried;
    /** Bytes read from the client before the backend connection opened (the ClientHello, mostly). */
    private ArrayDeque<Object> early;
    private boolean clientInputDone;
    private boolean backendInputDone;
    private boolean closed;

    StreamRelay(ProxyContext context, StreamTable table, int port, Transport transport, EventLoop helper) {
        this.context = context;
        this.table = table;
        this.port = port;
        this.transport = transport;
        this.helper = helper;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        client = ctx.channel();
        context.observer.connectionOpened();
        idle = new Deadline(context.loop(client.eventLoop()).timers(), this::closeNow);
        if (!table.inspects(port)) {
            start(table.route(port, null));
        }
        ctx.fireChannelActive();
    }

    /** The connection's route is known ({@code null}: none takes it): connect to its backend. */
    void start(StreamRoute chosen) {
        if (chosen == null) {
            client.close();
            return;
        }
        route = chosen;
        idleNanos = chosen.idleTimeout().toNanos();
        idle.arm(idleNanos);
        if (chosen.clientKeepAlive()) {
            client.config().setOption(ChannelOption.SO_KEEPALIVE, true);
        }
        client.config().setAutoRead(false);
        connect(null);
    }

    private void connect(Endpoint failed) {
        Backend target = route.backend();
        EventLoop loop = client.eventLoop();
        if (!target.balancesTasks()) {
            Future<InetSocketAddress> lookup = context.resolver(helper).resolve(target.address());
            lookup.addListener(done -> loop.execute(() -> {
                if (closed) {
                    return;
                }
                if (lookup.isSuccess()) {
                    open(lookup.getNow());
                } else {
                    context.failures.relayFailed(FailureReason.UNRESOLVED, route, port, target.address(),
                            lookup.cause());
                    client.close();
                }
            }));
            return;
        }
        TaskGroup tasks = context.tasks(target);
        if (!tasks.resolved()) {
            tasks.refresh(context.resolver(helper));
            tasks.firstResolution().whenComplete((ignored, error) -> loop.execute(() -> {
                if (!closed) {
                    connect(failed);
                }
            }));
            return;
        }
        long now = System.nanoTime();
        tasks.refreshIfStale(context.resolver(helper), now);
        endpoint = tasks.pick(failed, now);
        // After the pick, whose time keeps the checks going: they run on another loop and stop at once if none was.
        tasks.checkHealth(helper);
        if (endpoint == null) {
            context.failures.relayFailed(tasks.endpoints().length == 0
                    ? FailureReason.NO_TASK : FailureReason.TASKS_EJECTED, route, port, target.address(), null);
            client.close();
            return;
        }
        open(endpoint.address());
    }

    private void open(InetSocketAddress address) {
        attempts++;
        tried = address;
        ChannelFuture connecting = new Bootstrap().group(client.eventLoop())
                .channel(transport.socketChannel())
                .option(ChannelOption.ALLOCATOR, Buffers.ALLOCATOR)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, context.connectTimeoutMillis)
                .handler(new StreamBackend(this))
                .connect(address);
        connecting.addListener(done -> connected(connecting));
    }

    private void connected(ChannelFuture connecting) {
        if (!connecting.isSuccess()) {
            Endpoint failed = endpoint;
            endpoint = null;
            boolean anotherTask = false;
            if (failed != null) {
                TaskGroup tasks = context.tasks(route.backend());
                tasks.taskFailed(failed, context.resolver(helper));
                context.observer.taskEjected(route, failed.address());
                // Only to a task not ejected: when all are, the one try the first pick made is as far as it goes.
                anotherTask = tasks.hasAlternative(failed, System.nanoTime());
            }
            if (anotherTask && attempts < MAX_ATTEMPTS && !closed) {
                connect(failed); // nothing was sent yet: another task may take the connection
            } else {
                if (!closed) {
                    context.failures.relayFailed(FailureLog.ofConnect(connecting.cause()), route, port, tried,
                            connecting.cause());
                }
                client.close();
            }
            return;
        }
        if (closed) {
            endpoint = null;
            connecting.channel().close();
            return;
        }
        backend = connecting.channel();
        if (endpoint != null) {
            endpoint.succeeded();
            endpoint.requestStarted();
        }
        if (early != null) {
            Object bytes;
            while ((bytes = early.poll()) != null) {
                backend.write(bytes, backend.voidPromise());
            }
            early = null;
        }
        backend.flush();
        if (clientInputDone) {
            endOutputAfterWrites(backend);
        }
        updateReading();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
        } else if (backend == null) {
            if (early == null) {
                early = new ArrayDeque<>(2);
            }
            early.add(msg);
        } else {
            idle.arm(idleNanos);
            backend.write(msg, backend.voidPromise());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (backend != null) {
            backend.flush();
            updateReading();
        }
    }

    void fromBackend(Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        idle.arm(idleNanos);
        client.write(msg, client.voidPromise());
    }

    void backendReadComplete() {
        client.flush();
        updateReading();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateReading();
        ctx.fireChannelWritabilityChanged();
    }

    void backendWritabilityChanged() {
        updateReading();
    }

    /** Each side reads only while the other takes more and it has not ended its output. */
    private void updateReading() {
        if (backend == null || closed) {
            return;
        }
        reading(client, !clientInputDone && backend.isWritable());
        reading(backend, !backendInputDone && client.isWritable());
    }

    private static void reading(Channel channel, boolean enabled) {
        if (channel.config().isAutoRead() != enabled) {
            channel.config().setAutoRead(enabled);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            clientInputDone = true;
            if (backend != null) {
                endOutputAfterWrites(backend);
            }
            endedOneWay();
        }
        ctx.fireUserEventTriggered(event);
    }

    void backendInputShutdown() {
        backendInputDone = true;
        endOutputAfterWrites(client);
        endedOneWay();
    }

    private void endedOneWay() {
        if (clientInputDone && backendInputDone) {
            closeAfterWrites();
        } else {
            updateReading();
        }
    }

    /** Passes a half-close on: ends the channel's output once what was written to it is sent. */
    private static void endOutputAfterWrites(Channel channel) {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(written -> {
            if (channel.isActive() && channel instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            }
        });
    }

    private void closeAfterWrites() {
        closeAfterWrites(client);
        if (backend != null) {
            closeAfterWrites(backend);
        }
    }

    private static void closeAfterWrites(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** The idle timeout: both connections closed now, whatever they still hold. */
    private void closeNow() {
        client.close();
        if (backend != null) {
            backend.close();
        }
    }

    void backendClosed() {
        if (endpoint != null) {
            endpoint.requestEnded();
            endpoint = null;
        }
        if (closed) {
            idle.cancel();
        }
        closeAfterWrites(client);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (backend == null || !backend.isActive()) {
            idle.cancel(); // else it stays, in case the backend never takes the last bytes
        }
        if (early != null) {
            early.forEach(ReferenceCountUtil::release);
            early = null;
        }
        if (backend != null) {
            closeAfterWrites(backend);
        }
        context.observer.connectionClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset, a failed write, or a ClientHello the inspector refused: the connection ends.
        ctx.close();
    }
}
