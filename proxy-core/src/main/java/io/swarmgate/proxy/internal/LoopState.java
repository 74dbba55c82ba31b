package io.swarmgate.proxy.internal;

import io.netty.channel.EventLoop;

/**
 * What one event loop owns: its backend connection pool, its connection timers, its client connections (an HTTP/2
 * stream is one) and its HTTP/2 connections.
 */
final class LoopState {
    private final BackendPool pool;
    private final ConnectionTimers timers;
    private final SlotArray<ClientExchange> clients = new SlotArray<>();
    private final SlotArray<Http2Drain> http2Connections = new SlotArray<>();

    LoopState(EventLoop loop, ProxyContext context) {
        this.pool = new BackendPool(loop, context);
        this.timers = new ConnectionTimers(loop);
    }

    BackendPool pool() {
        return pool;
    }

    ConnectionTimers timers() {
        return timers;
    }

    SlotArray<ClientExchange> clients() {
        return clients;
    }

    /** Its HTTP/2 connections, whose streams are among the clients. */
    SlotArray<Http2Drain> http2Connections() {
        return http2Connections;
    }
}
