package io.swarmgate.proxy.internal.upstream;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One task of a service, with its passive health: a task that refuses a connection, resets one or does not answer in
 * time is ejected for a back-off period that doubles with each failure in a row (1 s up to 30 s), then gets traffic
 * again; one success clears its record. Event loops share it; the fields are volatile and a lost update between two
 * loops only shifts a back-off by one step, so no lock is needed.
 *
 * <p>Internal: public for {@code context}, {@code exchange}, {@code tcp} only.
 */
public final class Endpoint {
    private static final long BASE_EJECTION_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_EJECTION_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final InetSocketAddress address;
    private final String stickyId;
    /** Requests sent to it and not yet answered, from every event loop. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Idle keep-alive connections to it in the pools of every event loop. */
    private final AtomicInteger pooled = new AtomicInteger();
    private volatile int failures;
    private volatile long ejectedUntil;

    Endpoint(InetSocketAddress address) {
        this.address = address;
        this.stickyId = Integer.toHexString(address.getAddress().getHostAddress().hashCode() * 31 + address.getPort());
    }

    /**
     * What a sticky-session cookie holds to name this task: the same on every proxy replica (it derives from the
     * address alone), without showing the address.
     */
    public String stickyId() {
        return stickyId;
    }

    public InetSocketAddress address() {
        return address;
    }

    public boolean available(long nowNanos) {
        return failures == 0 || nowNanos - ejectedUntil >= 0;
    }

    /** When its ejection ends, in {@link System#nanoTime()} terms; meaningful only while it is not available. */
    long ejectedUntil() {
        return ejectedUntil;
    }

    void failed(long nowNanos) {
        int count = failures + 1;
        long backOff = count > 5 ? MAX_EJECTION_NANOS : Math.min(MAX_EJECTION_NANOS, BASE_EJECTION_NANOS << (count - 1));
        ejectedUntil = nowNanos + backOff;
        failures = count;
    }

    public int inFlight() {
        return inFlight.get();
    }

    public int pooled() {
        return pooled.get();
    }

    void pooledChanged(int delta) {
        pooled.addAndGet(delta);
    }

    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    public void requestEnded() {
        inFlight.decrementAndGet();
    }

    public void succeeded() {
        if (failures != 0) {
            failures = 0;
        }
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
