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
     * A copy with the given keys set to new values, a {@code null} value removing its key. Replacing and adding copy
     * the arrays while they stay at most half full; removing, which open addressing cannot do in place, rebuilds them.
     */
    HostIndex<V> with(Map<String, V> updates) {
        boolean removes = updates.containsValue(null);
        int count = size;
        for (String key : updates.keySet()) {
            if (get(key, 0, key.length()) == null) {
                count++;
            }
        }
        if (!removes && count * 2 < keys.length) {
            HostIndex<V> copy = new HostIndex<>(this, count);
            updates.forEach(copy::put);
            return copy;
        }
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
