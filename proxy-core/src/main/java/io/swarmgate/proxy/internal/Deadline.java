package io.swarmgate.proxy.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A per-connection timer that costs a field write to re-arm. One task stays scheduled; when it fires before the
 * current deadline it reschedules itself for the rest, so frequent re-arming allocates nothing. Only a deadline
 * earlier than the pending task replaces it. Used on the channel's event loop only.
 */
final class Deadline implements Runnable {
    private static final long DISARMED = Long.MAX_VALUE;

    private final EventExecutor executor;
    private final Runnable onExpiry;
    private long deadline = DISARMED;
    private ScheduledFuture<?> task;
    private long taskAt;

    Deadline(EventExecutor executor, Runnable onExpiry) {
        this.executor = executor;
        this.onExpiry = onExpiry;
    }

    void arm(long timeoutNanos) {
        long now = System.nanoTime();
        deadline = now + timeoutNanos;
        if (task == null) {
            schedule(timeoutNanos, now);
        } else if (deadline - taskAt < 0) {
            task.cancel(false);
            schedule(timeoutNanos, now);
        }
    }

    void disarm() {
        deadline = DISARMED;
    }

    /** Cancels the pending task: the connection is gone. */
    void cancel() {
        deadline = DISARMED;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    @Override
    public void run() {
        task = null;
        if (deadline == DISARMED) {
            return;
        }
        long now = System.nanoTime();
        long left = deadline - now;
        if (left > 0) {
            schedule(left, now);
        } else {
            deadline = DISARMED;
            onExpiry.run();
        }
    }

    private void schedule(long delayNanos, long now) {
        taskAt = now + delayNanos;
        task = executor.schedule(this, delayNanos, TimeUnit.NANOSECONDS);
    }
}
