package io.swarmgate.proxy.route;

import java.util.HashMap;
import java.util.Map;

/**
 * An immutable open-addressing map from lower-case host names to values that is looked up by a region of a Host
 * header, case-insensitively, without allocating a key.
 *
 * <p>Lookups on a large table are bound by cache misses, and most probes miss (a host without an exact entry, a
 * suffix without a wildcard), so a miss should touch as little memory as possible: the set of key lengths answers
 * most of them without a probe, and each slot's hash sits in a flat array, so a probe reads a key's characters only
 * when the hashes agree. A hit then reads the key's characters and the value next to them: the key is kept as its
 * characters, not a {@code String} that points to them, and the value in the array cell after it.
 */
final class HostIndex<V> {
    private static final int EMPTY_SLOT = 0;

    /** A bit per key length (modulo 256, so longer keys share bits): a set bit says such keys may be present. */
    private final long[] lengths;
    /** Each slot's {@link #slotHash}, {@link #EMPTY_SLOT} for a free slot. */
    private final int[] hashes;
    /** Slot {@code s}'s key characters at {@code 2s} and its value at {@code 2s + 1}. */
    private final Object[] entries;
    private final int mask;
    private final int size;

    HostIndex(Map<String, V> contents) {
        int capacity = Integer.highestOneBit(Math.max(4, contents.size() * 2 + 1) - 1) << 1;
        lengths = new long[4];
        hashes = new int[capacity];
        entries = new Object[2 * capacity];
        mask = capacity - 1;
        size = contents.size();
        contents.forEach(this::put);
    }

    /** A copy to change; a removal leaves its length's bit set, which costs at most a probe that misses. */
    private HostIndex(HostIndex<V> original, int size) {
        lengths = original.lengths.clone();
        hashes = original.hashes.clone();
        entries = original.entries.clone();
        mask = original.mask;
        this.size = size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * A copy with the given keys set to new values, a {@code null} value removing its key. The copy shares nothing
     * with this index; it is rebuilt larger only when it would be more than half full.
     */
    HostIndex<V> with(Map<String, V> updates) {
        int count = size;
        for (Map.Entry<String, V> update : updates.entrySet()) {
            boolean present = get(update.getKey(), 0, update.getKey().length()) != null;
            if (!present && update.getValue() != null) {
                count++;
            } else if (present && update.getValue() == null) {
                count--;
            }
        }
        if (count * 2 >= hashes.length) {
            Map<String, V> all = toMap();
            updates.forEach((key, value) -> {
                if (value == null) {
                    all.remove(key);
                } else {
                    all.put(key, value);
                }
            });
            return new HostIndex<>(all);
        }
        HostIndex<V> copy = new HostIndex<>(this, count);
        updates.forEach((key, value) -> {
            if (value == null) {
                copy.remove(key);
            } else {
                copy.put(key, value);
            }
        });
        return copy;
    }

    V get(CharSequence text, int from, int to) {
        return get(foldedHash(text, from, to), text, from, to);
    }

    /** The value for {@code text[from, to)}, whose {@link #foldedHash} the caller worked out already. */
    @SuppressWarnings("unchecked")
    V get(int foldedHash, CharSequence text, int from, int to) {
        if (!mayHoldLength(to - from)) {
            return null;
        }
        int hash = slotHash(foldedHash);
        int slot = hash & mask;
        int stored;
        while ((stored = hashes[slot]) != EMPTY_SLOT) {
            if (stored == hash && regionEqualsLowerKey((char[]) entries[2 * slot], text, from, to)) {
                return (V) entries[2 * slot + 1];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    private boolean mayHoldLength(int length) {
        return (lengths[(length >>> 6) & 3] & (1L << length)) != 0;
    }

    @SuppressWarnings("unchecked")
    private Map<String, V> toMap() {
        Map<String, V> all = new HashMap<>();
        for (int slot = 0; slot < hashes.length; slot++) {
            if (hashes[slot] != EMPTY_SLOT) {
                all.put(new String((char[]) entries[2 * slot]), (V) entries[2 * slot + 1]);
            }
        }
        return all;
    }

    /** Only while constructing: the arrays are not yet shared. */
    private void put(String key, V value) {
        int hash = slotHash(foldedHash(key, 0, key.length()));
        int slot = hash & mask;
        while (hashes[slot] != EMPTY_SLOT && !holds(slot, key)) {
            slot = (slot + 1) & mask;
        }
        hashes[slot] = hash;
        entries[2 * slot] = key.toCharArray();
        entries[2 * slot + 1] = value;
        lengths[(key.length() >>> 6) & 3] |= 1L << key.length();
    }

    /**
     * Only while constructing. Linear probing needs no tombstones: the entries after the hole that would no longer be
     * found are shifted back into it (Knuth's algorithm R).
     */
    private void remove(String key) {
        int hole = slotHash(foldedHash(key, 0, key.length())) & mask;
        while (hashes[hole] != EMPTY_SLOT && !holds(hole, key)) {
            hole = (hole + 1) & mask;
        }
        if (hashes[hole] == EMPTY_SLOT) {
            return;
        }
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

    /** Whether the occupied {@code slot} holds {@code key}, which is lower-case like every key. */
    private boolean holds(int slot, String key) {
        return regionEqualsLowerKey((char[]) entries[2 * slot], key, 0, key.length());
    }

    /**
     * {@link String#hashCode} of the region in lower case. Callers may work it out another way, e.g. right to left
     * for every suffix at once: the hash of {@code c + rest} is {@code c * 31^rest.length() + hash(rest)}.
     */
    static int foldedHash(CharSequence text, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + HostNames.lower(text.charAt(i));
        }
        return h;
    }

    /** The folded hash with its high bits spread into the low ones the slot is chosen by; never {@link #EMPTY_SLOT}. */
    private static int slotHash(int foldedHash) {
        int h = foldedHash ^ (foldedHash >>> 16);
        return h == EMPTY_SLOT ? 1 : h;
    }

    private static boolean regionEqualsLowerKey(char[] key, CharSequence text, int from, int to) {
        if (key.length != to - from) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (key[i] != HostNames.lower(text.charAt(from + i))) {
                return false;
            }
        }
        return true;
    }
}
