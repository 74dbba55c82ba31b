package io.swarmgate.proxy.internal;

import io.netty.channel.EventLoop;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The timeouts of every connection on one event loop, checked by one periodic task. Arming a {@link Deadline} is a
 * field write against a clock read once per tick, so the hot path neither schedules tasks nor reads the system clock;
 * the price is a precision of one tick, which is nothing against timeouts of seconds.
 */
final class ConnectionTimers implements Runnable {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private long now = System.nanoTime();
    private Deadline[] deadlines = new Deadline[256];
    private int size;

    ConnectionTimers(EventLoop loop) {
        loop.scheduleAtFixedRate(this, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    /** The loop's clock, updated once per tick. */
    long now() {
        return now;
    }

    void register(Deadline deadline) {
        if (size == deadlines.length) {
            deadlines = Arrays.copyOf(deadlines, size * 2);
        }
        deadline.slot = size;
        deadlines[size++] = deadline;
    }

    void unregister(Deadline deadline) {
        int slot = deadline.slot;
        if (slot < 0) {
            return;
        }
        Deadline last = deadlines[--size];
        deadlines[slot] = last;
        last.slot = slot;
        deadlines[size] = null;
        deadline.slot = -1;
    }

    /**
     * Fires what has expired. Walks from the end so that an expiry which unregisters deadlines (a connection closing)
     * only moves already visited ones.
     */
    @Override
    public void run() {
        now = System.nanoTime();
        for (int i = size - 1; i >= 0; i--) {
            if (i < size) {
                deadlines[i].fireIfExpired(now);
            }
        }
    }
}
