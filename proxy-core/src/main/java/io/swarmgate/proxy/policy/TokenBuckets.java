package io.swarmgate.proxy.policy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Token buckets by key, lock-free and bounded. Each bucket is one number, the time its next token is due (the
 * generic cell rate algorithm), moved by compare-and-set; a full bucket is one whose time has passed. At most
 * {@code maxKeys} keys are tracked: each new key takes the next slot of a ring, and the key that held the slot is
 * forgotten, so a flood of distinct keys costs bounded memory, and a forgotten key starts again with a full bucket.
 */
final class TokenBuckets {
    private final long interval;
    private final long tolerance;
    private final ConcurrentHashMap<String, Bucket> buckets;
    private final AtomicReferenceArray<Bucket> ring;
    private final AtomicLong inserted = new AtomicLong();

    /**
     * @param interval nanoseconds between two tokens (the average rate's inverse)
     * @param burst    the tokens a full bucket holds
     */
    TokenBuckets(long interval, int burst, int maxKeys) {
        if (interval <= 0 || burst <= 0 || maxKeys <= 0) {
            throw new IllegalArgumentException("interval " + interval + ", burst " + burst + ", maxKeys " + maxKeys
                    + " (expected: each above 0)");
        }
        this.interval = interval;
        this.tolerance = Math.multiplyExact(interval, (long) burst);
        this.buckets = new ConcurrentHashMap<>(Math.min(maxKeys, 1 << 16));
        this.ring = new AtomicReferenceArray<>(maxKeys);
    }

    /** Takes a token of {@code key}'s bucket: 0 when there was one, else the nanoseconds until there is. */
    long take(String key, long now) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            bucket = track(key, now);
        }
        while (true) {
            long due = bucket.get();
            long next = Math.max(due, now) + interval;
            long wait = next - now - tolerance;
            if (wait > 0) {
                return wait;
            }
            if (bucket.compareAndSet(due, next)) {
                return 0;
            }
        }
    }

    private Bucket track(String key, long now) {
        Bucket fresh = new Bucket(key, now);
        Bucket raced = buckets.putIfAbsent(key, fresh);
        if (raced != null) {
            return raced;
        }
        int slot = (int) Long.remainderUnsigned(inserted.getAndIncrement(), ring.length());
        Bucket forgotten = ring.getAndSet(slot, fresh);
        if (forgotten != null) {
            buckets.remove(forgotten.key, forgotten);
        }
        return fresh;
    }

    /** The keys tracked now. */
    int size() {
        return buckets.size();
    }

    /** A key's bucket: the time its next token is due. */
    private static final class Bucket extends AtomicLong {
        private final String key;

        Bucket(String key, long due) {
            super(due);
            this.key = key;
        }
    }
}
