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

    private static final byte[] NAME_TE = ascii("te");
    private static final byte[] NAME_HOST = ascii("host");
    private static final byte[] NAME_UPGRADE = ascii("upgrade");
    private static final byte[] NAME_CONNECTION = ascii("connection");
    private static final byte[] NAME_KEEP_ALIVE = ascii("keep-alive");
    private static final byte[] NAME_CONTENT_LENGTH = ascii("content-length");
    private static final byte[] NAME_HTTP2_SETTINGS = ascii("http2-settings");
    private static final byte[] NAME_X_FORWARDED_FOR = ascii("x-forwarded-for");
    private static final byte[] NAME_PROXY_CONNECTION = ascii("proxy-connection");
    private static final byte[] NAME_X_FORWARDED_HOST = ascii("x-forwarded-host");
    private static final byte[] NAME_X_FORWARDED_PORT = ascii("x-forwarded-port");
    private static final byte[] NAME_TRANSFER_ENCODING = ascii("transfer-encoding");
    private static final byte[] NAME_X_FORWARDED_PROTO = ascii("x-forwarded-proto");

    private HeaderKind() {
    }

    /** The kind of the field whose name (token characters only) is at {@code index}. */
    static int of(ByteBuf buf, int index, int length) {
        return switch (length) {
            case 2 -> is(buf, index, length, NAME_TE, HOP_BY_HOP);
            case 4 -> is(buf, index, length, NAME_HOST, HOST);
            case 7 -> is(buf, index, length, NAME_UPGRADE, UPGRADE);
            case 10 -> is(buf, index, length, NAME_CONNECTION, CONNECTION)
                    | is(buf, index, length, NAME_KEEP_ALIVE, HOP_BY_HOP);
            case 14 -> is(buf, index, length, NAME_CONTENT_LENGTH, CONTENT_LENGTH)
                    | is(buf, index, length, NAME_HTTP2_SETTINGS, HOP_BY_HOP);
            case 15 -> is(buf, index, length, NAME_X_FORWARDED_FOR, X_FORWARDED_FOR);
            case 16 -> is(buf, index, length, NAME_PROXY_CONNECTION, HOP_BY_HOP)
                    | is(buf, index, length, NAME_X_FORWARDED_HOST, X_FORWARDED_HOST)
                    | is(buf, index, length, NAME_X_FORWARDED_PORT, X_FORWARDED_PORT);
            case 17 -> is(buf, index, length, NAME_TRANSFER_ENCODING, TRANSFER_ENCODING)
                    | is(buf, index, length, NAME_X_FORWARDED_PROTO, X_FORWARDED_PROTO);
            default -> OTHER;
        };
    }

    private static int is(ByteBuf buf, int index, int length, byte[] name, int kind) {
        return HttpBytes.equalsIgnoreCase(buf, index, length, name) ? kind : OTHER;
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
