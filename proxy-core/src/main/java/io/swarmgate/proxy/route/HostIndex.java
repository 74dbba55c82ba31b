package io.swarmgate.proxy.route;

import java.util.HashMap;
import java.util.Map;

/**
 * An immutable open-addressing map from lower-case host names to values that is looked up by a region of a Host
 * header, case-insensitively, without allocating a key.
 */
final class HostIndex<V> {
    private final String[] keys;
    private final Object[] values;
    private final int mask;
    private final int size;

    HostIndex(Map<String, V> entries) {
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2 + 1) - 1) << 1;
        keys = new String[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        size = entries.size();
        entries.forEach(this::put);
    }

    private HostIndex(HostIndex<V> original, int size) {
        keys = original.keys.clone();
        values = original.values.clone();
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
        if (count * 2 >= keys.length) {
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

    @SuppressWarnings("unchecked")
    V get(CharSequence text, int from, int to) {
        int slot = hash(text, from, to) & mask;
        String key;
        while ((key = keys[slot]) != null) {
            if (regionEqualsLowerKey(key, text, from, to)) {
                return (V) values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private Map<String, V> toMap() {
        Map<String, V> all = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                all.put(keys[i], (V) values[i]);
            }
        }
        return all;
    }

    /** Only while constructing: the arrays are not yet shared. */
    private void put(String key, V value) {
        int slot = hash(key, 0, key.length()) & mask;
        while (keys[slot] != null && !keys[slot].equals(key)) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        values[slot] = value;
    }

    /**
     * Only while constructing. Linear probing needs no tombstones: the entries after the hole that would no longer be
     * found are shifted back into it (Knuth's algorithm R).
     */
    private void remove(String key) {
        int hole = hash(key, 0, key.length()) & mask;
        while (keys[hole] != null && !keys[hole].equals(key)) {
            hole = (hole + 1) & mask;
        }
        if (keys[hole] == null) {
            return;
        }
        keys[hole] = null;
        values[hole] = null;
        for (int next = (hole + 1) & mask; keys[next] != null; next = (next + 1) & mask) {
            int home = hash(keys[next], 0, keys[next].length()) & mask;
            boolean reachableWithoutHole = hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (!reachableWithoutHole) {
                keys[hole] = keys[next];
                values[hole] = values[next];
                keys[next] = null;
                values[next] = null;
                hole = next;
            }
        }
    }

    private static int hash(CharSequence text, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + HostNames.lower(text.charAt(i));
        }
        return h ^ (h >>> 16);
    }

    private static boolean regionEqualsLowerKey(String key, CharSequence text, int from, int to) {
        if (key.length() != to - from) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) != HostNames.lower(text.charAt(from + i))) {
                return false;
            }
        }
        return true;
    }
}
