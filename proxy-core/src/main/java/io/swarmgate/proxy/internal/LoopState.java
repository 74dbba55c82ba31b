package io.swarmgate.proxy.internal;

import io.netty.channel.EventLoop;

/** What one event loop owns: its backend connection pool, its connection timers and its client connections. */
final class LoopState {
    private final BackendPool pool;
    private final ConnectionTimers timers;
    private final SlotArray<FrontendHandler> clients = new SlotArray<>();

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

    SlotArray<FrontendHandler> clients() {
        return clients;
    }
}
