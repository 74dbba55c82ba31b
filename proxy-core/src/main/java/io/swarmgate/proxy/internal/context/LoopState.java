package io.swarmgate.proxy.internal.context;

import io.netty.channel.EventLoop;
import io.swarmgate.proxy.internal.io.ConnectionTimers;
import io.swarmgate.proxy.internal.io.SlotArray;
import io.swarmgate.proxy.internal.upstream.BackendPool;
import io.swarmgate.proxy.internal.upstream.MirrorSender;
import io.swarmgate.proxy.internal.upstream.PoolSettings;
import java.util.ArrayDeque;

/**
 * What one event loop owns: its backend connection pool, its mirrored requests in flight, its connection timers,
 * its client connections (an HTTP/2 or HTTP/3 stream is one), its HTTP/2 and HTTP/3 connections, and the exchanges
 * it lends to their requests.
 *
 * <p>Internal: public for {@code exchange}, {@code front}, {@code tcp} only.
 */
public final class LoopState {
    private final BackendPool pool;
    private final MirrorSender mirrors;
    private final ConnectionTimers timers;
    private final SlotArray<ClientExchange> clients = new SlotArray<>();
    private final SlotArray<Drainable> streamConnections = new SlotArray<>();
    /**
     * The exchanges not lent to a request, which the {@code exchange} package lends and takes back (held as objects:
     * this package does not know that one). As many as the loop's most requests in progress at once.
     */
    private final ArrayDeque<Object> spareExchanges = new ArrayDeque<>();

    LoopState(EventLoop loop, PoolSettings poolSettings, long mirrorDeadlineNanos) {
        this.timers = new ConnectionTimers(loop);
        this.pool = new BackendPool(loop, timers, poolSettings);
        this.mirrors = new MirrorSender(loop, poolSettings, mirrorDeadlineNanos);
    }

    public BackendPool pool() {
        return pool;
    }

    /** Where copies of mirrored requests go out. */
    public MirrorSender mirrors() {
        return mirrors;
    }

    public ConnectionTimers timers() {
        return timers;
    }

    public SlotArray<ClientExchange> clients() {
        return clients;
    }

    public ArrayDeque<Object> spareExchanges() {
        return spareExchanges;
    }

    /** Its HTTP/2 and HTTP/3 connections, whose streams are among the clients. */
    public SlotArray<Drainable> streamConnections() {
        return streamConnections;
    }
}
