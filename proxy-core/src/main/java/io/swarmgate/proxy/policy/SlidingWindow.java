package io.swarmgate.proxy.policy;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts of a few kinds of event over the last stretch of time, lock-free and of fixed size: the window is a ring of
 * buckets, each covering a slice of time and holding one count per kind; a bucket whose slice has passed is reset by
 * the first event that lands in it again. An event racing that reset may be lost, so the counts are close estimates,
 * which is what a budget or a breaker needs, at the cost of one CAS'd counter per event.
 */
final class SlidingWindow {
    private final long bucketNanos;
    private final int buckets;
    private final int kinds;
    /** The slice of time each bucket holds counts of (time divided by the bucket's width). */
    private final AtomicLongArray slices;
    private final AtomicLongArray counts;

    SlidingWindow(long windowNanos, int buckets, int kinds) {
        if (windowNanos < buckets || buckets < 1 || kinds < 1) {
            throw new IllegalArgumentException("window " + windowNanos + " ns, " + buckets + " buckets, " + kinds
                    + " kinds (expected: at least a nanosecond per bucket, one bucket and one kind)");
        }
        this.bucketNanos = windowNanos / buckets;
        this.buckets = buckets;
        this.kinds = kinds;
        this.slices = new AtomicLongArray(buckets);
        this.counts = new AtomicLongArray(buckets * kinds);
        for (int i = 0; i < buckets; i++) {
            slices.set(i, Long.MIN_VALUE);
        }
    }

    /** Counts an event of {@code kind} at {@code now} (nanoseconds). */
    void add(long now, int kind) {
        long slice = Math.floorDiv(now, bucketNanos);
        int bucket = (int) Math.floorMod(slice, (long) buckets);
        long seen = slices.get(bucket);
        if (seen < slice && slices.compareAndSet(bucket, seen, slice)) {
            for (int k = 0; k < kinds; k++) {
                counts.set(bucket * kinds + k, 0);
            }
        }
        counts.incrementAndGet(bucket * kinds + kind);
    }

    /** The events of {@code kind} in the window that ends at {@code now}. */
    long sum(long now, int kind) {
        long oldest = Math.floorDiv(now, bucketNanos) - buckets;
        long sum = 0;
        for (int bucket = 0; bucket < buckets; bucket++) {
            if (slices.get(bucket) > oldest) {
                sum += counts.get(bucket * kinds + kind);
            }
        }
        return sum;
    }

    /** Forgets every count, e.g. when a breaker closes again. */
    void clear() {
        for (int bucket = 0; bucket < buckets; bucket++) {
            slices.set(bucket, Long.MIN_VALUE);
        }
    }
}
