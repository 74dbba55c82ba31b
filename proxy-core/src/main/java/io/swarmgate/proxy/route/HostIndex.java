package io.swarmgate.proxy.route;

import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An immutable open-addressing map from lower-case host names to values that is looked up by a region of a Host
 * header, case-insensitively, without allocating a key; or, built with {@code foldCase} false, from path prefixes
 * looked up exactly by a region of a request path.
 *
 * <p>Lookups on a large table are bound by cache misses, and most probes miss (a host without an exact entry, a
 * suffix without a wildcard), so a miss should touch as little memory as possible: the set of key lengths answers
 * most of them without a probe, and each slot's hash sits in a flat array, so a probe reads a key's characters only
 * when the hashes agree. A hit then reads the key's characters and the value next to them: the key is kept as its
 * characters, not a {@code String} that points to them, and the value in the array cell after it.
 *
 * <p>The slots are split into about twice the square root of the number of keys segments, each a table of its own
 * chosen by the key's hash: a copy with a changed key copies the arrays of segments and the changed key's segment,
 * some kilobytes with 100,000 keys, where one flat table would be copied whole (megabytes) by every change. A lookup
 * pays for it with one more array read, of an array small enough to stay in the cache.
 */
final class HostIndex<V> {
    private static final int EMPTY_SLOT = 0;
    /** Spreads a hash into the high bits of the product, which choose the segment (Fibonacci hashing). */
    private static final long SPREAD = 0x9E3779B97F4A7C15L;
    private static final int SEGMENT_BITS_AT = 40;
    /** Tables up to this many keys are one segment: a small table's copy is as cheap whole. */
    private static final int ONE_SEGMENT_KEYS = 16;

    /** Whether keys are host names, matched without regard to case, or paths, matched exactly. */
    private final boolean foldCase;
    /** A bit per key length (modulo 256, so longer keys share bits): a set bit says such keys may be present. */
    private final long[] lengths;
    private final Segment[] segments;
    /**
     * Each segment's arrays, for lookups: they read a segment's slots without a trip to its {@link Segment} (one
     * cache miss fewer on a large table).
     */
    private final int[][] segmentHashes;
    private final Object[][] segmentEntries;
    private final int segmentMask;
    private final int size;

    /** An index of lower-case host names, looked up without regard to case. */
    HostIndex(Map<String, V> contents) {
        this(contents, true);
    }

    /**
     * An index looked up without regard to case ({@code foldCase}, for lower-case keys) or exactly, by the
     * {@link #exactHash} of the text.
     */
    HostIndex(Map<String, V> contents, boolean foldCase) {
        this.foldCase = foldCase;
        size = contents.size();
        lengths = new long[4];
        segments = new Segment[segmentsFor(size)];
        segmentMask = segments.length - 1;
        int[] counts = new int[segments.length];
        contents.keySet().forEach(key -> counts[segmentOf(hash(key, 0, key.length()))]++);
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Segment(Segment.capacityFor(counts[i]));
        }
        contents.forEach(this::put);
        segmentHashes = new int[segments.length][];
        segmentEntries = new Object[segments.length][];
        for (int i = 0; i < segments.length; i++) {
            publish(i);
        }
    }

    /** A copy to change: the segments are shared until {@link #put} or {@link #remove} copies the one it changes. */
    private HostIndex(HostIndex<V> original, int size) {
        foldCase = original.foldCase;
        lengths = original.lengths.clone();
        segments = original.segments.clone();
        segmentHashes = original.segmentHashes.clone();
        segmentEntries = original.segmentEntries.clone();
        segmentMask = original.segmentMask;
        this.size = size;
    }

    /** About twice the square root of the number of keys, a power of two. */
    private static int segmentsFor(int keys) {
        if (keys <= ONE_SEGMENT_KEYS) {
            return 1;
        }
        int wanted = (int) Math.ceil(2 * Math.sqrt(keys));
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * A copy with the given keys set to new values, a {@code null} value removing its key. The copy shares every
     * segment no key of {@code updates} falls in with this index; it is rebuilt with more (or fewer) segments only
     * when the number of keys has grown fourfold (or fallen sixteenfold) since the last rebuild.
     */
    HostIndex<V> with(Map<String, V> updates) {
        if (updates.isEmpty()) {
            return this;
        }
        int count = size;
        for (Map.Entry<String, V> update : updates.entrySet()) {
            boolean present = get(update.getKey(), 0, update.getKey().length()) != null;
            if (!present && update.getValue() != null) {
                count++;
            } else if (present && update.getValue() == null) {
                count--;
            }
        }
        int wanted = segmentsFor(count);
        if (wanted >= 2 * segments.length || 4 * wanted <= segments.length) {
            Map<String, V> all = toMap();
            updates.forEach((key, value) -> {
                if (value == null) {
                    all.remove(key);
                } else {
                    all.put(key, value);
                }
            });
            return new HostIndex<>(all, foldCase);
        }
        HostIndex<V> copy = new HostIndex<>(this, count);
        Set<Segment> copied = Collections.newSetFromMap(new IdentityHashMap<>());
        updates.forEach((key, value) -> {
            int at = copy.segmentOf(hash(key, 0, key.length()));
            if (copied.add(copy.segments[at])) { // not yet copied: this index's own segment
                copy.segments[at] = copy.segments[at].copy();
                copied.add(copy.segments[at]);
            }
            if (value == null) {
                copy.segments[at].remove(key, slotHash(hash(key, 0, key.length())), foldCase);
            } else {
                copy.put(key, value);
            }
            copy.publish(at); // a put may have grown the segment's arrays
        });
        return copy;
    }

    /** Only while constructing: lookups see segment {@code i}'s current arrays. */
    private void publish(int i) {
        segmentHashes[i] = segments[i].hashes;
        segmentEntries[i] = segments[i].entries;
    }

    V get(CharSequence text, int from, int to) {
        return get(hash(text, from, to), text, from, to);
    }

    private int hash(CharSequence text, int from, int to) {
        return foldCase ? foldedHash(text, from, to) : exactHash(text, from, to);
    }

    /**
     * The value for {@code text[from, to)}, whose {@link #foldedHash} (or, for an exact index, {@link #exactHash})
     * the caller worked out already.
     */
    @SuppressWarnings("unchecked")
    V get(int keyHash, CharSequence text, int from, int to) {
        if (!mayHoldLength(to - from)) {
            return null;
        }
        int at = segmentOf(keyHash);
        int[] hashes = segmentHashes[at];
        Object[] entries = segmentEntries[at];
        int mask = hashes.length - 1;
        int hash = slotHash(keyHash);
        int slot = hash & mask;
        int stored;
        while ((stored = hashes[slot]) != EMPTY_SLOT) {
            if (stored == hash && regionEqualsKey((char[]) entries[2 * slot], text, from, to, foldCase)) {
                return (V) entries[2 * slot + 1];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    private int segmentOf(int keyHash) {
        return (int) ((keyHash * SPREAD) >>> SEGMENT_BITS_AT) & segmentMask;
    }

    private boolean mayHoldLength(int length) {
        return (lengths[(length >>> 6) & 3] & (1L << length)) != 0;
    }

    @SuppressWarnings("unchecked")
    private Map<String, V> toMap() {
        Map<String, V> all = new HashMap<>();
        for (Segment segment : segments) {
            for (int slot = 0; slot < segment.hashes.length; slot++) {
                if (segment.hashes[slot] != EMPTY_SLOT) {
                    all.put(new String((char[]) segment.entries[2 * slot]), (V) segment.entries[2 * slot + 1]);
                }
            }
        }
        return all;
    }

    /** Only while constructing: the key's segment is not yet shared. */
    private void put(String key, V value) {
        int hash = hash(key, 0, key.length());
        segments[segmentOf(hash)].put(key, slotHash(hash), value, foldCase);
        lengths[(key.length() >>> 6) & 3] |= 1L << key.length();
    }

    /**
     * One table of slots. Changed only while the index that holds it is being made: a changed index copies the
     * segment first.
     */
    private static final class Segment {
        /** Each slot's {@link #slotHash}, {@link #EMPTY_SLOT} for a free slot. */
        int[] hashes;
        /** Slot {@code s}'s key characters at {@code 2s} and its value at {@code 2s + 1}. */
        Object[] entries;
        int size;

        Segment(int capacity) {
            this(new int[capacity], new Object[2 * capacity], 0);
        }

        private Segment(int[] hashes, Object[] entries, int size) {
            this.hashes = hashes;
            this.entries = entries;
            this.size = size;
        }

        /** A power of two that keeps {@code keys} at most half of it: a probe then meets a free slot soon. */
        static int capacityFor(int keys) {
            return Integer.highestOneBit(Math.max(2, keys * 2 + 1) - 1) << 1;
        }

        Segment copy() {
            return new Segment(hashes.clone(), entries.clone(), size);
        }

        void put(String key, int hash, Object value, boolean foldCase) {
            int slot = find(key, hash, foldCase);
            if (hashes[slot] == EMPTY_SLOT) {
                if ((size + 1) * 2 > hashes.length) {
                    grow();
                    slot = find(key, hash, foldCase);
                }
                size++;
            }
            hashes[slot] = hash;
            entries[2 * slot] = key.toCharArray();
            entries[2 * slot + 1] = value;
        }

        /** The slot that holds {@code key}, else the free slot where it would go. */
        private int find(String key, int hash, boolean foldCase) {
            int mask = hashes.length - 1;
            int slot = hash & mask;
            while (hashes[slot] != EMPTY_SLOT
                    && !regionEqualsKey((char[]) entries[2 * slot], key, 0, key.length(), foldCase)) {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        private void grow() {
            int[] oldHashes = hashes;
            Object[] oldEntries = entries;
            hashes = new int[2 * oldHashes.length];
            entries = new Object[2 * oldEntries.length];
            int mask = hashes.length - 1;
            for (int old = 0; old < oldHashes.length; old++) {
                if (oldHashes[old] != EMPTY_SLOT) {
                    int slot = oldHashes[old] & mask;
                    while (hashes[slot] != EMPTY_SLOT) {
                        slot = (slot + 1) & mask;
                    }
                    hashes[slot] = oldHashes[old];
                    entries[2 * slot] = oldEntries[2 * old];
                    entries[2 * slot + 1] = oldEntries[2 * old + 1];
                }
            }
        }

        /**
         * Linear probing needs no tombstones: the entries after the hole that would no longer be found are shifted
         * back into it (Knuth's algorithm R). A removal leaves its length's bit set, which costs at most a probe that
         * misses.
         */
        void remove(String key, int hash, boolean foldCase) {
            int mask = hashes.length - 1;
            int hole = find(key, hash, foldCase);
            if (hashes[hole] == EMPTY_SLOT) {
                return;
            }
            size--;
            clear(hole);
            for (int next = (hole + 1) & mask; hashes[next] != EMPTY_SLOT; next = (next + 1) & mask) {
                int home = hashes[next] & mask;
                boolean reachableWithoutHole = hole <= next ? hole < home && home <= next : hole < home || home <= next;
                if (!reachableWithoutHole) {
                    hashes[hole] = hashes[next];
                    entries[2 * hole] = entries[2 * next];
                    entries[2 * hole + 1] = entries[2 * next + 1];
                    clear(next);
                    hole = next;
                }
            }
        }

        private void clear(int slot) {
            hashes[slot] = EMPTY_SLOT;
            entries[2 * slot] = null;
            entries[2 * slot + 1] = null;
        }
    }

    /**
     * {@link String#hashCode} of the region in lower case. Callers may work it out another way, e.g. right to left
     * for every suffix at once: the hash of {@code c + rest} is {@code c * 31^rest.length() + hash(rest)}.
     */
    static int foldedHash(CharSequence text, int from, int to) {
        int h = 0;
        int i = from;
        for (; i + 1 < to; i += 2) { // two characters a step: the chain of multiplications bounds the loop
            h = 961 * h + 31 * HostNames.lower(text.charAt(i)) + HostNames.lower(text.charAt(i + 1));
        }
        return i < to ? 31 * h + HostNames.lower(text.charAt(i)) : h;
    }

    /** {@link String#hashCode} of the region: an exact index's hash, which callers may work out as they scan. */
    static int exactHash(CharSequence text, int from, int to) {
        int h = 0;
        int i = from;
        for (; i + 1 < to; i += 2) {
            h = 961 * h + 31 * text.charAt(i) + text.charAt(i + 1);
        }
        return i < to ? 31 * h + text.charAt(i) : h;
    }

    /** The key's hash with its high bits spread into the low ones the slot is chosen by; never {@link #EMPTY_SLOT}. */
    private static int slotHash(int keyHash) {
        int h = keyHash ^ (keyHash >>> 16);
        return h == EMPTY_SLOT ? 1 : h;
    }

    /** Whether {@code text[from, to)} is {@code key}, in any case when folding (every folded key is lower-case). */
    private static boolean regionEqualsKey(char[] key, CharSequence text, int from, int to, boolean foldCase) {
        if (key.length != to - from) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            char c = text.charAt(from + i);
            if (key[i] != (foldCase ? HostNames.lower(c) : c)) {
                return false;
            }
        }
        return true;
    }
}
