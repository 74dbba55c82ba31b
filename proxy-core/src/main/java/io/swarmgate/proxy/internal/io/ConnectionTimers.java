package io.swarmgate.proxy.internal.io;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;

/**
 * The timeouts of every connection on one event loop, checked by one periodic task. Arming a {@link Deadline} is a
 * field write against a clock read once per tick, so the hot path neither schedules tasks nor reads the system clock;
 * the price is a precision of one tick, which is nothing against timeouts of seconds.
 *
 * <p>Internal: public for {@code context}, {@code front}, {@code tcp}, {@code upstream} only.
 */
public final class ConnectionTimers implements Runnable {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private long now = System.nanoTime();
    private final SlotArray<Deadline> deadlines = new SlotArray<>();

    public ConnectionTimers(EventLoop loop) {
        loop.scheduleAtFixedRate(this, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    /** The loop's clock, updated once per tick. */
    long now() {
        return now;
    }

    void register(Deadline deadline) {
        deadlines.add(deadline);
    }

    void unregister(Deadline deadline) {
        deadlines.remove(deadline);
    }

    /** Fires what has expired; an expiry may close connections and so unregister deadlines. */
    @Override
    public void run() {
        long tick = System.nanoTime();
        now = tick;
        deadlines.forEach(deadline -> deadline.fireIfExpired(tick));
    }
}
