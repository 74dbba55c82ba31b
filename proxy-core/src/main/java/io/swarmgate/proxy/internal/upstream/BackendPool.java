package io.swarmgate.proxy.internal.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.swarmgate.proxy.internal.http1.ResponseDecoder;
import io.swarmgate.proxy.internal.http2.BackendStreamBridge;
import io.swarmgate.proxy.internal.io.ConnectionTimers;
import io.swarmgate.proxy.upstream.BackendProtocol;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Keep-alive connections to backends, owned by one event loop: connections are opened on the loop of the client
 * connection that needs them, so a request and its backend exchange never cross threads and the pool needs no lock.
 * Idle connections are reused most-recently-released first, which keeps the warmest ones busy and lets the rest expire.
 *
 * <p>Internal: public for {@code context}, {@code exchange} only.
 */
public final class BackendPool {
    /** Idle connections kept per backend and event loop; more are closed on release. */
    private static final int MAX_IDLE_PER_BACKEND = 512;

    private final PoolSettings settings;
    private final Bootstrap http1;
    private final Bootstrap h2c;
    /**
     * Per protocol, by the address connected to: a name (and port) for a backend reached by name, an IP for a task.
     */
    private final Map<BackendProtocol, Map<SocketAddress, ArrayDeque<BackendHandler>>> idle =
            new EnumMap<>(BackendProtocol.class);

    public BackendPool(EventLoop loop, ConnectionTimers timers, PoolSettings settings) {
        this.settings = settings;
        this.http1 = settings.bootstrap(loop)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ResponseDecoder(), new BackendHandler(timers));
                    }
                });
        this.h2c = http1.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                BackendStreamBridge.install(ch.pipeline());
                ch.pipeline().addLast(new ResponseDecoder(), new BackendHandler(timers));
            }
        });
        for (BackendProtocol protocol : BackendProtocol.values()) {
            idle.put(protocol, new HashMap<>());
        }
    }

    /** An idle, still open connection to the backend in that protocol, or {@code null} when there is none. */
    public BackendHandler pollIdle(SocketAddress address, BackendProtocol protocol) {
        ArrayDeque<BackendHandler> connections = idle.get(protocol).get(address);
        if (connections != null) {
            BackendHandler handler;
            while ((handler = connections.pollFirst()) != null) {
                if (handler.leavePool()) {
                    return handler;
                }
            }
        }
        return null;
    }

    /**
     * Opens a new connection, giving up after {@code timeoutMillis}; the frontend hears back on this event loop, with
     * the exchange number it gave, so that an answer for an exchange that has since ended is recognised. Over TLS the
     * connection is handed over once its handshake succeeded; a failed handshake counts as a failed connect.
     *
     * @param serverName  the backend's name, sent by SNI and checked against its certificate over TLS
     * @param proxyHeader the PROXY protocol header sent before anything else, TLS included; {@code null} for none. A
     *                    connection that carried one is never pooled: it names the client of this exchange only.
     */
    public void connect(SocketAddress address, BackendProtocol protocol, String serverName,
                        @Nullable HAProxyMessage proxyHeader, BackendExchange waiter, int exchange, int timeoutMillis) {
        Bootstrap base = protocol == BackendProtocol.H2C ? h2c : http1;
        Bootstrap connector = timeoutMillis == settings.connectTimeoutMillis()
                ? base : base.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis);
        ChannelFuture connecting = connector.connect(address);
        connecting.addListener(future -> {
            if (!future.isSuccess()) {
                if (proxyHeader != null) {
                    proxyHeader.release(); // written, the encoder would have
                }
                waiter.onBackendConnectFailed(exchange, future.cause());
                return;
            }
            Channel channel = connecting.channel();
            BackendHandler handler = channel.pipeline().get(BackendHandler.class);
            handler.opened(address, protocol, proxyHeader == null);
            if (proxyHeader != null) {
                channel.pipeline().addFirst(HAProxyMessageEncoder.INSTANCE);
                channel.writeAndFlush(proxyHeader, channel.voidPromise());
                channel.pipeline().remove(HAProxyMessageEncoder.INSTANCE);
            }
            if (!protocol.tls()) {
                waiter.onBackendConnected(handler, false, exchange);
                return;
            }
            int port = address instanceof InetSocketAddress inet ? inet.getPort() : -1;
            SslHandler tls = settings.tls().context(protocol).newHandler(channel.alloc(), serverName, port);
            tls.setHandshakeTimeoutMillis(timeoutMillis);
            channel.pipeline().addFirst(tls);
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    waiter.onBackendConnected(handler, false, exchange);
                } else {
                    channel.close();
                    waiter.onBackendConnectFailed(exchange, handshake.cause());
                }
            });
        });
    }

    /** Closes every idle connection, as the server stops; the futures complete as each is closed. */
    public List<Future<Void>> closeIdle() {
        List<Future<Void>> closing = new ArrayList<>();
        for (Map<SocketAddress, ArrayDeque<BackendHandler>> byAddress : idle.values()) {
            for (ArrayDeque<BackendHandler> connections : byAddress.values()) {
                BackendHandler handler;
                while ((handler = connections.pollFirst()) != null) {
                    handler.close();
                    closing.add(handler.closeFuture());
                }
            }
        }
        return closing;
    }

    /**
     * Takes back a connection whose last exchange ended cleanly on both sides ({@link BackendHandler#reusable}); any
     * other is closed, as is one the pool has no room for. This is the one place where that is decided.
     */
    public void release(BackendHandler handler) {
        if (!handler.reusable()) {
            handler.close();
            return;
        }
        ArrayDeque<BackendHandler> connections = idle.get(handler.protocol())
                .computeIfAbsent(handler.address(), b -> new ArrayDeque<>());
        if (connections.size() >= MAX_IDLE_PER_BACKEND) {
            handler.close();
            return;
        }
        handler.enterPool(settings.pooledIdleTimeoutNanos());
        connections.addFirst(handler);
    }
}
