package io.swarmgate.proxy.internal.io;

/**
 * One connection's timer, checked by its event loop's {@link ConnectionTimers}. Re-arming is a field write, so it
 * costs nothing to push it back on every read. Used on the channel's event loop only.
 *
 * <p>Internal: public for {@code exchange}, {@code front}, {@code tcp}, {@code upstream} only.
 */
public final class Deadline implements SlotArray.Member {
    private static final long DISARMED = Long.MAX_VALUE;

    private final ConnectionTimers timers;
    private final Runnable onExpiry;
    private long deadline = DISARMED;
    private int slot = -1;

    public Deadline(ConnectionTimers timers, Runnable onExpiry) {
        this.timers = timers;
        this.onExpiry = onExpiry;
        timers.register(this);
    }

    public void arm(long timeoutNanos) {
        deadline = timers.now() + timeoutNanos;
    }

    public void disarm() {
        deadline = DISARMED;
    }

    /** The connection is gone: the timer is forgotten. */
    public void cancel() {
        deadline = DISARMED;
        timers.unregister(this);
    }

    @Override
    public int slot() {
        return slot;
    }

    @Override
    public void slot(int slot) {
        this.slot = slot;
    }

    void fireIfExpired(long now) {
        if (deadline != DISARMED && now - deadline >= 0) {
            deadline = DISARMED;
            onExpiry.run();
        }
    }
}
