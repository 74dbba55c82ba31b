package io.swarmgate.proxy.internal.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.swarmgate.proxy.internal.http1.HeaderKind;
import io.swarmgate.proxy.internal.http1.MessageHead;
import java.nio.charset.StandardCharsets;

/** Fields between the two framings: HTTP/2's header lists and HTTP/1.1's {@code Name: value} lines. */
final class FieldLines {
    static final byte[] CRLF = {'\r', '\n'};
    static final byte[] LAST_CHUNK = "0\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CHUNKED = "transfer-encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * Fields HTTP/2 forbids (RFC 9113 §8.2.2) or that describe the HTTP/1.1 connection only. An array, not a list: every
     * field of every message is checked, and a list's iterator was most of the HTTP/2 path's allocation.
     */
    private static final AsciiString[] CONNECTION_FIELDS = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
        AsciiString.cached("proxy-connection"), HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE};

    private static final byte[][] NO_NAMES = new byte[0][];

    private FieldLines() {
    }

    /** The same fields by {@link HeaderKind kind}, as a parsed head classifies them. */
    static final int CONNECTION_KINDS = HeaderKind.CONNECTION | HeaderKind.HOP_BY_HOP
            | HeaderKind.TRANSFER_ENCODING | HeaderKind.UPGRADE;

    static boolean connectionField(CharSequence name) {
        for (AsciiString field : CONNECTION_FIELDS) {
            if (field.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code name} is one of {@code names} (lower case). */
    static boolean named(CharSequence name, byte[][] names) {
        for (byte[] candidate : names) {
            if (HeaderKind.equals(name, candidate)) {
                return true;
            }
        }
        return false;
    }

    /** Adds an HTTP/1.1 field, its name in lower case as HTTP/2 wants, unless it is the connection's own. */
    static void add(Http2Headers headers, String name, String value) {
        AsciiString lowerCase = AsciiString.of(name).toLowerCase();
        if (!connectionField(lowerCase)) {
            headers.add(lowerCase, value);
        }
    }

    /** Adds a parsed head's fields, without the connection's own fields and those of the kinds in {@code skipped}. */
    static void addFields(Http2Headers headers, MessageHead head, int skipped) {
        head.addTo(headers, CONNECTION_KINDS | skipped, NO_NAMES);
    }

    /** Writes {@code name: value\r\n}; false, writing nothing, when either holds a line break or NUL. */
    static boolean writeField(ByteBuf out, CharSequence name, CharSequence value) {
        if (!safe(name) || !safe(value)) {
            return false;
        }
        writeText(out, name);
        out.writeByte(':').writeByte(' ');
        writeText(out, value);
        out.writeBytes(CRLF);
        return true;
    }

    /** Writes the regular (not pseudo, not connection) fields of an HTTP/2 list; false if one is unsafe. */
    static boolean writeFields(ByteBuf out, Http2Headers headers) {
        for (java.util.Map.Entry<CharSequence, CharSequence> field : headers) {
            CharSequence name = field.getKey();
            if ((name.length() == 0 || name.charAt(0) != ':') && !connectionField(name)
                    && !writeField(out, name, field.getValue())) {
                return false;
            }
        }
        return true;
    }

    static ByteBuf writeText(ByteBuf out, CharSequence text) {
        if (text instanceof AsciiString ascii) {
            ByteBufUtil.copy(ascii, out);
        } else {
            out.writeCharSequence(text, StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    /** No CR, LF or NUL: the strict HTTP/1.1 parsers check the rest. */
    static boolean safe(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                return false;
            }
        }
        return true;
    }

    /** A chunk's size line. */
    static void writeChunkSize(ByteBuf out, int size) {
        ByteBufUtil.writeAscii(out, Integer.toHexString(size));
        out.writeBytes(CRLF);
    }
}
