package io.swarmgate.proxy.policy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Header fields to remove from a message and lines to append to it, in wire form, so that applying them while a head
 * is copied costs a length test per field and one copy per line. Immutable once built.
 */
public final class HeaderEdits {
    public static final HeaderEdits NONE = new HeaderEdits(new byte[0][], new byte[0][]);

    private final byte[][] removed;
    private final byte[][] added;

    private HeaderEdits(byte[][] removed, byte[][] added) {
        this.removed = removed;
        this.added = added;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return removed.length == 0 && added.length == 0;
    }

    /** Lower-case names of the fields to drop. */
    public byte[][] removed() {
        return removed;
    }

    /** Whole lines to append, {@code Name: value\r\n}. */
    public byte[][] added() {
        return added;
    }

    /** These edits, then {@code more}'s: the same instance when either is empty. */
    public HeaderEdits then(HeaderEdits more) {
        if (more.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return more;
        }
        return new HeaderEdits(concat(removed, more.removed), concat(added, more.added));
    }

    private static byte[][] concat(byte[][] first, byte[][] second) {
        byte[][] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    /** Collects edits; {@code set} is a removal and an addition. */
    public static final class Builder {
        private final List<byte[]> removed = new ArrayList<>();
        private final List<byte[]> added = new ArrayList<>();

        private Builder() {
        }

        /** Drops the message's fields of that name, and the lines of that name added before. */
        public Builder remove(String name) {
            byte[] lower = HeaderNames.check(name).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
            added.removeIf(line -> line.length > lower.length && line[lower.length] == ':'
                    && new String(line, 0, lower.length, StandardCharsets.US_ASCII).equalsIgnoreCase(name));
            for (byte[] known : removed) {
                if (java.util.Arrays.equals(known, lower)) {
                    return this;
                }
            }
            removed.add(lower);
            return this;
        }

        public Builder add(String name, String value) {
            added.add(HeaderNames.line(name, value));
            return this;
        }

        public Builder set(String name, String value) {
            return remove(name).add(name, value);
        }

        public boolean isEmpty() {
            return removed.isEmpty() && added.isEmpty();
        }

        public HeaderEdits build() {
            return isEmpty() ? NONE : new HeaderEdits(removed.toArray(byte[][]::new), added.toArray(byte[][]::new));
        }
    }
}
