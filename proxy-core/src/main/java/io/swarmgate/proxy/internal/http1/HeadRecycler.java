package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;

/**
 * What one connection's heads reuse instead of allocating: the field table of the last head released, and the text of
 * the last request target and Host value decoded, which a keep-alive client mostly sends again as it was. Heads of a
 * connection come and go one at a time on its event loop; anything given back or decoded on another thread is not kept.
 */
final class HeadRecycler {
    static final int TARGET = 0;
    static final int HOST = 1;
    /** Reuses nothing: for a decoder outside a channel. */
    static final HeadRecycler NONE = new HeadRecycler(null);

    private final EventExecutor loop;
    private int[] spareTable;
    private final String[] lastTexts = new String[2];

    /** @param loop the connection's event loop, or {@code null} to reuse nothing (a decoder outside a channel) */
    HeadRecycler(EventExecutor loop) {
        this.loop = loop;
    }

    /** A field table of at least {@code length} entries: the spare when it is large enough, a new one otherwise. */
    int[] takeTable(int length) {
        int[] table = spareTable;
        if (table != null && table.length >= length) {
            spareTable = null;
            return table;
        }
        return new int[length];
    }

    /** A released head's table, free for the next head; its contents are stale and are overwritten. */
    void giveBack(int[] table) {
        if (onLoop() && (spareTable == null || spareTable.length < table.length)) {
            spareTable = table;
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
        return loop != null && loop.inEventLoop();
    }
}
