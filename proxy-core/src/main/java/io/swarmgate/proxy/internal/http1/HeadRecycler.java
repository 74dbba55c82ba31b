package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;

/**
 * What the heads of an event loop's connections reuse instead of allocating: the line ends of the head being scanned,
 * the field table of the last head released, and the text of the last request target and Host value decoded, which
 * clients mostly send again as they were. One per event loop, not per connection: a head is scanned, parsed and
 * released within the handling of a read, so one spare of each serves every connection of the loop, and an idle
 * connection holds none of it. Anything given back or decoded on another thread is not kept.
 */
final class HeadRecycler {
    static final int TARGET = 0;
    static final int HOST = 1;
    /** The kinds of arrays kept: the line ends of a head being scanned, and the field table of a parsed head. */
    static final int LINE_ENDS = 0;
    static final int FIELDS = 1;
    /** Reuses nothing: for a decoder outside a channel. */
    static final HeadRecycler NONE = new HeadRecycler(null);
    private static final FastThreadLocal<HeadRecycler> LOOPS = new FastThreadLocal<>() {
        @Override
        protected HeadRecycler initialValue() {
            return new HeadRecycler(Thread.currentThread());
        }
    };

    /** The thread whose heads it recycles, or {@code null} to reuse nothing. */
    private final Thread owner;
    /** A spare array of each kind. */
    private final int[][] spares = new int[2][];
    private final String[] lastTexts = new String[2];

    private HeadRecycler(Thread owner) {
        this.owner = owner;
    }

    /** The recycler of {@code loop}'s connections; asked from another thread, one that reuses nothing. */
    static HeadRecycler of(EventExecutor loop) {
        return loop.inEventLoop() ? LOOPS.get() : NONE;
    }

    /** An array of that kind of at least {@code length} entries: the spare when it is large enough, else a new one. */
    int[] take(int kind, int length) {
        int[] array = spares[kind];
        if (array != null && array.length >= length) {
            spares[kind] = null;
            return array;
        }
        return new int[length];
    }

    /** An array no longer used, free for the next head; its contents are stale and are overwritten. */
    void giveBack(int kind, int[] array) {
        if (onLoop() && (spares[kind] == null || spares[kind].length < array.length)) {
            spares[kind] = array;
        }
    }

    /**
     * The ISO-8859-1 text of {@code bytes[index, index + length)}: the last one of this kind when the bytes match it.
     */
    String text(ByteBuf bytes, int index, int length, int kind) {
        String last = lastTexts[kind];
        if (last != null && sameText(bytes, index, length, last)) {
            return last;
        }
        String text = bytes.toString(index, length, StandardCharsets.ISO_8859_1);
        if (onLoop()) {
            lastTexts[kind] = text;
        }
        return text;
    }

    private static boolean sameText(ByteBuf bytes, int index, int length, String text) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if ((bytes.getByte(index + i) & 0xff) != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean onLoop() {
        return owner == Thread.currentThread();
    }
}
