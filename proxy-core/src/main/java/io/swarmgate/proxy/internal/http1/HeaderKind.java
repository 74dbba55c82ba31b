package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The header fields the proxy acts on, as bit flags, so that a head is classified once while parsed and a rewrite is
 * a mask test per field. Every other field is {@link #OTHER} and passes through byte for byte.
 */
public final class HeaderKind {
    public static final int OTHER = 0;
    public static final int HOST = 1;
    public static final int CONTENT_LENGTH = 1 << 1;
    public static final int TRANSFER_ENCODING = 1 << 2;
    public static final int CONNECTION = 1 << 3;
    /**
     * Keep-Alive, Proxy-Connection, TE, HTTP2-Settings (an h2c upgrade's, never relayed), and any field the Connection
     * header names.
     */
    public static final int HOP_BY_HOP = 1 << 4;
    /** Hop-by-hop too, but kept when a protocol upgrade (WebSocket) is relayed. */
    public static final int UPGRADE = 1 << 9;
    public static final int X_FORWARDED_FOR = 1 << 5;
    public static final int X_FORWARDED_PROTO = 1 << 6;
    public static final int X_FORWARDED_HOST = 1 << 7;
    public static final int X_FORWARDED_PORT = 1 << 8;

    /** The names of the known fields, in lower case, and their kinds at the same index. */
    private static final byte[][] NAMES = {ascii("te"), ascii("host"), ascii("upgrade"), ascii("connection"),
        ascii("keep-alive"), ascii("content-length"), ascii("http2-settings"), ascii("x-forwarded-for"),
        ascii("proxy-connection"), ascii("x-forwarded-host"), ascii("x-forwarded-port"), ascii("transfer-encoding"),
        ascii("x-forwarded-proto")};
    private static final int[] KINDS = {HOP_BY_HOP, HOST, UPGRADE, CONNECTION, HOP_BY_HOP, CONTENT_LENGTH,
        HOP_BY_HOP, X_FORWARDED_FOR, HOP_BY_HOP, X_FORWARDED_HOST, X_FORWARDED_PORT, TRANSFER_ENCODING,
        X_FORWARDED_PROTO};

    private HeaderKind() {
    }

    /** The kind of the field whose name (token characters only) is at {@code index}. */
    static int of(ByteBuf buf, int index, int length) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].length == length && HttpBytes.equalsIgnoreCase(buf, index, length, NAMES[i])) {
                return KINDS[i];
            }
        }
        return OTHER;
    }

    /** The kind of a field named in lower case, as HTTP/2 names fields. */
    public static int of(CharSequence lowerCaseName) {
        for (int i = 0; i < NAMES.length; i++) {
            if (equals(lowerCaseName, NAMES[i])) {
                return KINDS[i];
            }
        }
        return OTHER;
    }

    /** Whether {@code text} spells the lower-case {@code name} exactly. */
    public static boolean equals(CharSequence text, byte[] name) {
        if (text.length() != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (text.charAt(i) != name[i]) {
                return false;
            }
        }
        return true;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
