package io.swarmgate.proxy.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.swarmgate.proxy.internal.http1.ResponseDecoder;
import io.swarmgate.proxy.route.Backend;
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
    private final Map<Backend, ArrayDeque<BackendHandler>> idle = new HashMap<>();

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
    }

    /** An idle, still open connection to the backend, or {@code null} when there is none. */
    BackendHandler pollIdle(Backend backend) {
        ArrayDeque<BackendHandler> connections = idle.get(backend);
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

    /** Opens a new connection; the frontend hears back on this event loop. */
    void connect(Backend backend, FrontendHandler waiter) {
        ChannelFuture connecting = bootstrap.connect(backend.address());
        connecting.addListener(future -> {
            if (future.isSuccess()) {
                BackendHandler handler = connecting.channel().pipeline().get(BackendHandler.class);
                handler.backend(backend);
                waiter.onBackendConnected(handler, false);
            } else {
                waiter.onBackendConnectFailed(future.cause());
            }
        });
    }

    /** Takes back a connection whose exchange finished cleanly, or closes it when the pool is full. */
    void release(BackendHandler handler) {
        if (!handler.isOpen()) {
            return;
        }
        ArrayDeque<BackendHandler> connections = idle.computeIfAbsent(handler.backend(), b -> new ArrayDeque<>());
        if (connections.size() >= MAX_IDLE_PER_BACKEND) {
            handler.close();
            return;
        }
        handler.enterPool(context.pooledIdleTimeoutNanos);
        connections.addFirst(handler);
    }
}
