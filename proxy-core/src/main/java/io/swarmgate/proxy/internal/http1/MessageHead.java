package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCounted;
import java.nio.charset.StandardCharsets;

/**
 * The head of an HTTP/1.x message as it arrived: its raw bytes and where each field lies in them. Nothing is copied
 * or decoded into strings unless asked for, so relaying a head costs one scan and one copy of the fields kept.
 *
 * <p>Fields are checked strictly while parsed (RFC 9112 §5): token names, no whitespace before the colon, no
 * obsolete line folding, no control characters in values, at most one {@code Content-Length}. The head holds a
 * reference to the connection's buffer: {@link #release()} it once relayed.
 */
public abstract class MessageHead implements ReferenceCounted {
    private static final byte[] CLOSE = HeaderKind.ascii("close");
    private static final byte[] KEEP_ALIVE = HeaderKind.ascii("keep-alive");
    private static final byte[] CHUNKED = HeaderKind.ascii("chunked");
    private static final byte[] UPGRADE = HeaderKind.ascii("upgrade");
    /** Per field: name start, name end, value start, value end, line end (its CR), kind. */
    private static final int STRIDE = 6;

    protected final ByteBuf bytes;
    protected final HeadRecycler recycler;
    private final int[] fields;
    private final int fieldCount;
    private int versionMinor;
    private int kinds;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean connectionUpgrade;
    private boolean chunkedLast;
    /** How many times the Transfer-Encoding lines name chunked. */
    private int chunkedCodings;
    private long contentLength = -1;
    private int hostCount;
    private int hostField = -1;
    private Framing framing = Framing.NONE;

    /**
     * @param bytes    the head, from its first line to the empty line that ends it
     * @param lineEnds where each line's CR is; line 0 is the start line, the rest are fields
     * @param recycler where the field table comes from, and goes back to once the head is released
     */
    MessageHead(ByteBuf bytes, int[] lineEnds, int lineCount, HttpError error, HeadRecycler recycler) {
        this.bytes = bytes;
        this.fieldCount = lineCount - 1;
        this.recycler = recycler;
        this.fields = recycler.take(HeadRecycler.FIELDS, fieldCount * STRIDE);
        int[] listed = null;
        for (int i = 0; i < fieldCount; i++) {
            int start = lineEnds[i] + 2;
            listed = parseField(i, start, lineEnds[i + 1], error, listed);
        }
        if (listed != null) {
            markListedHopByHop(listed);
        }
    }

    /** Parses one field line; returns the Connection tokens that name other fields, collected so far. */
    private int[] parseField(int field, int start, int end, HttpError error, int[] listed) {
        if (start == end || HttpBytes.isWhitespace(bytes.getByte(start))) {
            throw new HttpParseException(error, "obsolete line folding or empty field name");
        }
        int colon = bytes.forEachByte(start, end - start, HttpBytes.IS_TCHAR);
        if (colon < 0 || colon == start || bytes.getByte(colon) != ':') {
            throw new HttpParseException(error, "malformed field name");
        }
        int valueStart = skipWhitespace(colon + 1, end);
        int valueEnd = trimWhitespace(valueStart, end);
        if (valueEnd > valueStart && bytes.forEachByte(valueStart, valueEnd - valueStart, HttpBytes.IS_FIELD_CHAR) >= 0) {
            throw new HttpParseException(error, "control character in a field value");
        }
        int kind = HeaderKind.of(bytes, start, colon - start);
        int at = field * STRIDE;
        fields[at] = start;
        fields[at + 1] = colon;
        fields[at + 2] = valueStart;
        fields[at + 3] = valueEnd;
        fields[at + 4] = end;
        fields[at + 5] = kind;
        kinds |= kind;
        switch (kind) {
            case HeaderKind.HOST -> {
                hostCount++;
                hostField = field;
            }
            case HeaderKind.CONTENT_LENGTH -> parseContentLength(valueStart, valueEnd, error);
            case HeaderKind.TRANSFER_ENCODING -> parseTransferEncoding(valueStart, valueEnd);
            case HeaderKind.CONNECTION -> listed = parseConnection(valueStart, valueEnd, listed);
            default -> {
            }
        }
        return listed;
    }

    private void parseContentLength(int start, int end, HttpError error) {
        if (start == end || end - start > 18) {
            throw new HttpParseException(error, "invalid Content-Length");
        }
        long length = 0;
        for (int i = start; i < end; i++) {
            byte b = bytes.getByte(i);
            if (b < '0' || b > '9') {
                throw new HttpParseException(error, "invalid Content-Length");
            }
            length = length * 10 + (b - '0');
        }
        if (contentLength >= 0 && (error == HttpError.BAD_REQUEST || contentLength != length)) {
            // Two lengths are how requests are smuggled; a backend may repeat the same one.
            throw new HttpParseException(error, "more than one Content-Length");
        }
        contentLength = length;
    }

    /**
     * Reads a Transfer-Encoding line's codings: whether the last is chunked (a later line overrides an earlier one), and
     * how many times chunked is named over all the lines.
     */
    private void parseTransferEncoding(int start, int end) {
        int tokenStart = start;
        while (tokenStart <= end) { // an empty last coding ("chunked,") is one too, and not chunked
            int comma = bytes.indexOf(tokenStart, end, (byte) ',');
            int tokenEnd = comma < 0 ? end : comma;
            int s = skipWhitespace(tokenStart, tokenEnd);
            int e = trimWhitespace(s, tokenEnd);
            chunkedLast = HttpBytes.equalsIgnoreCase(bytes, s, e - s, CHUNKED);
            if (chunkedLast) {
                chunkedCodings++;
            }
            tokenStart = tokenEnd + 1;
        }
    }

    /** Reads the Connection tokens: close and keep-alive set flags, any other names a field to drop. */
    private int[] parseConnection(int start, int end, int[] listed) {
        int tokenStart = start;
        while (tokenStart < end) {
            int comma = bytes.indexOf(tokenStart, end, (byte) ',');
            int tokenEnd = comma < 0 ? end : comma;
            int s = skipWhitespace(tokenStart, tokenEnd);
            int e = trimWhitespace(s, tokenEnd);
            if (HttpBytes.equalsIgnoreCase(bytes, s, e - s, CLOSE)) {
                connectionClose = true;
            } else if (HttpBytes.equalsIgnoreCase(bytes, s, e - s, KEEP_ALIVE)) {
                connectionKeepAlive = true;
            } else if (HttpBytes.equalsIgnoreCase(bytes, s, e - s, UPGRADE)) {
                connectionUpgrade = true;
            } else if (e > s) {
                listed = append(listed, s, e);
            }
            tokenStart = tokenEnd + 1;
        }
        return listed;
    }

    /** The first index from {@code from} on, before {@code to}, that holds no whitespace; {@code to} if none. */
    private int skipWhitespace(int from, int to) {
        while (from < to && HttpBytes.isWhitespace(bytes.getByte(from))) {
            from++;
        }
        return from;
    }

    /** The end of {@code [from, to)} without the whitespace that ends it. */
    private int trimWhitespace(int from, int to) {
        while (to > from && HttpBytes.isWhitespace(bytes.getByte(to - 1))) {
            to--;
        }
        return to;
    }

    private static int[] append(int[] listed, int start, int end) {
        int[] grown;
        if (listed == null) {
            grown = new int[3];
        } else {
            grown = java.util.Arrays.copyOf(listed, listed.length + 2);
        }
        int count = grown[0];
        grown[1 + count * 2] = start;
        grown[2 + count * 2] = end;
        grown[0] = count + 1;
        return grown;
    }

    /** Fields named in Connection are hop-by-hop, except those that frame the message or name its host. */
    private void markListedHopByHop(int[] listed) {
        int keep = HeaderKind.HOST | HeaderKind.CONTENT_LENGTH | HeaderKind.TRANSFER_ENCODING | HeaderKind.UPGRADE;
        for (int f = 0; f < fieldCount; f++) {
            int at = f * STRIDE;
            if ((fields[at + 5] & keep) != 0) {
                continue;
            }
            for (int t = 0; t < listed[0]; t++) {
                int s = listed[1 + t * 2];
                int e = listed[2 + t * 2];
                if (namesEqual(fields[at], fields[at + 1], s, e)) {
                    fields[at + 5] = HeaderKind.HOP_BY_HOP;
                    kinds |= HeaderKind.HOP_BY_HOP;
                }
            }
        }
    }

    private boolean namesEqual(int aStart, int aEnd, int bStart, int bEnd) {
        if (aEnd - aStart != bEnd - bStart) {
            return false;
        }
        for (int i = 0; i < aEnd - aStart; i++) {
            int a = bytes.getByte(aStart + i);
            int b = bytes.getByte(bStart + i);
            if (a != b && ((a | 0x20) != (b | 0x20) || (a | 0x20) < 'a' || (a | 0x20) > 'z')) {
                return false;
            }
        }
        return true;
    }

    /** Parses the version at {@code index}: exactly {@code HTTP/1.0} or {@code HTTP/1.1}. */
    final void parseVersion(int index, HttpError error) {
        if (bytes.getByte(index) != 'H' || bytes.getByte(index + 1) != 'T' || bytes.getByte(index + 2) != 'T'
                || bytes.getByte(index + 3) != 'P' || bytes.getByte(index + 4) != '/' || bytes.getByte(index + 5) != '1'
                || bytes.getByte(index + 6) != '.') {
            throw new HttpParseException(error, "unsupported HTTP version");
        }
        byte minor = bytes.getByte(index + 7);
        if (minor != '0' && minor != '1') {
            throw new HttpParseException(error, "unsupported HTTP version");
        }
        versionMinor = minor - '0';
    }

    /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
    public final int versionMinor() {
        return versionMinor;
    }

    /** Whether the sender wants the connection kept open after this message (RFC 9112 §9.3). */
    public final boolean keepAlive() {
        return versionMinor == 1 ? !connectionClose : connectionKeepAlive && !connectionClose;
    }

    /** Whether it asks for, or agrees to, a protocol upgrade: {@code Connection: upgrade} and an Upgrade field. */
    public final boolean upgrade() {
        return connectionUpgrade && has(HeaderKind.UPGRADE);
    }

    /** The union of the kinds of all its fields. */
    final boolean has(int kind) {
        return (kinds & kind) != 0;
    }

    final boolean chunkedLast() {
        return chunkedLast;
    }

    /** How many times the Transfer-Encoding lines name chunked: more than once is a sender's error (RFC 9112 §6.1). */
    final int chunkedCodings() {
        return chunkedCodings;
    }

    /** The Content-Length, or -1 without one. */
    public final long contentLength() {
        return contentLength;
    }

    final int hostCount() {
        return hostCount;
    }

    /** The Host header's value, or {@code null} without exactly one. */
    final String hostValue() {
        if (hostCount != 1) {
            return null;
        }
        int at = hostField * STRIDE;
        return recycler.text(bytes, fields[at + 2], fields[at + 3] - fields[at + 2], HeadRecycler.HOST);
    }

    public final Framing framing() {
        return framing;
    }

    final void framing(Framing framing) {
        this.framing = framing;
    }

    public final int fieldCount() {
        return fieldCount;
    }

    public final String name(int field) {
        int at = field * STRIDE;
        return bytes.toString(fields[at], fields[at + 1] - fields[at], StandardCharsets.ISO_8859_1);
    }

    public final String value(int field) {
        int at = field * STRIDE;
        return bytes.toString(fields[at + 2], fields[at + 3] - fields[at + 2], StandardCharsets.ISO_8859_1);
    }

    /**
     * Adds its fields to an HTTP/2 header list, names in lower case as HTTP/2 writes them, values as they came, but
     * those of the {@link HeaderKind kinds} in {@code dropMask} and those named in {@code removed} (lower case): one
     * copy of the head's bytes for all of them, no String. They passed this parser's strict checks.
     */
    public final void addTo(Http2Headers out, int dropMask, byte[][] removed) {
        byte[] copy = null;
        for (int f = 0; f < fieldCount; f++) {
            int at = f * STRIDE;
            if ((fields[at + 5] & dropMask) != 0 || isNamed(at, removed)) {
                continue;
            }
            if (copy == null) {
                copy = new byte[bytes.writerIndex()];
                bytes.getBytes(0, copy);
            }
            int nameStart = fields[at];
            int nameEnd = fields[at + 1];
            for (int i = nameStart; i < nameEnd; i++) {
                byte b = copy[i];
                if (b >= 'A' && b <= 'Z') {
                    copy[i] = (byte) (b + ('a' - 'A'));
                }
            }
            out.add(new AsciiString(copy, nameStart, nameEnd - nameStart, false),
                    new AsciiString(copy, fields[at + 2], fields[at + 3] - fields[at + 2], false));
        }
    }

    /** Whether the field is of one of the {@link HeaderKind kinds} in {@code kinds}. */
    public final boolean isKind(int field, int kinds) {
        return (kind(field) & kinds) != 0;
    }

    final int kind(int field) {
        return fields[field * STRIDE + 5];
    }

    /** Copies the value of a field into {@code out}. */
    final void copyValue(int field, ByteBuf out) {
        int at = field * STRIDE;
        out.writeBytes(bytes, fields[at + 2], fields[at + 3] - fields[at + 2]);
    }

    /**
     * Copies every field line whose kind is not in {@code dropMask} and whose name is not among {@code removed} (lower
     * case), with its CRLF, runs of kept lines at once.
     */
    final void copyFields(ByteBuf out, int dropMask, byte[][] removed) {
        int runStart = -1;
        int runEnd = -1;
        for (int f = 0; f < fieldCount; f++) {
            int at = f * STRIDE;
            if ((fields[at + 5] & dropMask) != 0 || isNamed(at, removed)) {
                continue;
            }
            int lineStart = fields[at];
            if (lineStart != runEnd) {
                if (runStart >= 0) {
                    out.writeBytes(bytes, runStart, runEnd - runStart);
                }
                runStart = lineStart;
            }
            runEnd = fields[at + 4] + 2;
        }
        if (runStart >= 0) {
            out.writeBytes(bytes, runStart, runEnd - runStart);
        }
    }

    private boolean isNamed(int at, byte[][] names) {
        for (byte[] name : names) {
            if (HttpBytes.equalsIgnoreCase(bytes, fields[at], fields[at + 1] - fields[at], name)) {
                return true;
            }
        }
        return false;
    }

    /** The value of the first field with this name (any case), or {@code null}. */
    public final String value(String name) {
        byte[] lower = name.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        for (int f = 0; f < fieldCount; f++) {
            int at = f * STRIDE;
            if (HttpBytes.equalsIgnoreCase(bytes, fields[at], fields[at + 1] - fields[at], lower)) {
                return value(f);
            }
        }
        return null;
    }

    /** Bytes of the head, a bound for the size of its rewritten form. */
    final int size() {
        return bytes.readableBytes();
    }

    @Override
    public final int refCnt() {
        return bytes.refCnt();
    }

    @Override
    public final MessageHead retain() {
        bytes.retain();
        return this;
    }

    @Override
    public final MessageHead retain(int increment) {
        bytes.retain(increment);
        return this;
    }

    @Override
    public final MessageHead touch() {
        bytes.touch();
        return this;
    }

    @Override
    public final MessageHead touch(Object hint) {
        bytes.touch(hint);
        return this;
    }

    @Override
    public final boolean release() {
        return released(bytes.release());
    }

    @Override
    public final boolean release(int decrement) {
        return released(bytes.release(decrement));
    }

    private boolean released(boolean deallocated) {
        if (deallocated) {
            recycler.giveBack(HeadRecycler.FIELDS, fields);
        }
        return deallocated;
    }
}
