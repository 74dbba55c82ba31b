package io.swarmgate.proxy.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.swarmgate.proxy.internal.http1.ResponseDecoder;
import io.swarmgate.proxy.internal.http2.BackendStreamBridge;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keep-alive connections to backends, owned by one event loop: connections are opened on the loop of the client
 * connection that needs them, so a request and its backend exchange never cross threads and the pool needs no lock.
 * Idle connections are reused most-recently-released first, which keeps the warmest ones busy and lets the rest expire.
 */
final class BackendPool {
    /** Idle connections kept per backend and event loop; more are closed on release. */
    private static final int MAX_IDLE_PER_BACKEND = 512;

    private final ProxyContext context;
    private final Bootstrap bootstrap;
    private final Bootstrap h2cBootstrap;
    /** By the address connected to: a name (and port) for a backend reached by name, an IP for a task. */
    private final Map<SocketAddress, ArrayDeque<BackendHandler>> idle = new HashMap<>();
    /** The same, for connections that speak h2c. */
    private final Map<SocketAddress, ArrayDeque<BackendHandler>> idleH2c = new HashMap<>();

    BackendPool(EventLoop loop, ProxyContext context) {
        this.context = context;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(context.transport().socketChannel())
                .resolver(context.resolver())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, context.connectTimeoutMillis)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ResponseDecoder(), new BackendHandler(context));
                    }
                });
        this.h2cBootstrap = bootstrap.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                BackendStreamBridge.install(ch.pipeline());
                ch.pipeline().addLast(new ResponseDecoder(), new BackendHandler(context));
            }
        });
    }

    /** An idle, still open connection to the backend, or {@code null} when there is none. */
    BackendHandler pollIdle(SocketAddress address, boolean h2c) {
        ArrayDeque<BackendHandler> connections = (h2c ? idleH2c : idle).get(address);
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
     * the exchange number it gave, so that an answer for an exchange that has since ended is recognised.
     */
    void connect(SocketAddress address, boolean h2c, FrontendHandler waiter, int exchange, int timeoutMillis) {
        Bootstrap protocol = h2c ? h2cBootstrap : bootstrap;
        Bootstrap connector = timeoutMillis == context.connectTimeoutMillis
                ? protocol : protocol.clone().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis);
        ChannelFuture connecting = connector.connect(address);
        connecting.addListener(future -> {
            if (future.isSuccess()) {
                BackendHandler handler = connecting.channel().pipeline().get(BackendHandler.class);
                handler.address(address);
                waiter.onBackendConnected(handler, false, exchange);
            } else {
                waiter.onBackendConnectFailed(exchange);
            }
        });
    }

    /** Takes back a connection whose exchange finished cleanly, or closes it when the pool is full. */
    void release(BackendHandler handler) {
        if (!handler.isOpen()) {
            return;
        }
        ArrayDeque<BackendHandler> connections = (handler.h2c() ? idleH2c : idle)
                .computeIfAbsent(handler.address(), b -> new ArrayDeque<>());
        if (connections.size() >= MAX_IDLE_PER_BACKEND) {
            handler.close();
            return;
        }
        handler.enterPool(context.pooledIdleTimeoutNanos);
        connections.addFirst(handler);
    }
}
