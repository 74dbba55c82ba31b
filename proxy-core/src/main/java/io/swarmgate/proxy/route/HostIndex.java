package io.swarmgate.proxy.route;

import java.util.Map;

/**
 * An open-addressing map from lower-case host names to values that is looked up by a region of a Host header,
 * case-insensitively, without allocating a key.
 */
final class HostIndex<V> {
    private final String[] keys;
    private final Object[] values;
    private final int mask;

    HostIndex(Map<String, V> entries) {
        int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2 + 1) - 1) << 1;
        keys = new String[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        entries.forEach((key, value) -> {
            int slot = hash(key, 0, key.length()) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = value;
        });
    }

    boolean isEmpty() {
        for (String key : keys) {
            if (key != null) {
                return false;
            }
        }
        return true;
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
