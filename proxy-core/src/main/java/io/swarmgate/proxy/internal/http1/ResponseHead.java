package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.swarmgate.proxy.internal.head.BackendResponseHead;
import io.swarmgate.proxy.policy.HeaderEdits;

/** A response head: status line and fields, parsed in place (see {@link MessageHead}). */
public final class ResponseHead extends MessageHead implements BackendResponseHead {
    private static final byte[] HTTP_1_1 = HeaderKind.ascii("HTTP/1.1");
    private static final byte[] HTTP_1_0 = HeaderKind.ascii("HTTP/1.0");
    private static final byte[] CHUNKED = HeaderKind.ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] KEEP_ALIVE = HeaderKind.ascii("Connection: keep-alive\r\n");
    private static final byte[] CLOSE = HeaderKind.ascii("Connection: close\r\n");
    private static final byte[] UPGRADE = HeaderKind.ascii("Connection: Upgrade\r\n");
    private static final int VERSION_LENGTH = 8;

    private final int statusLineEnd;
    private final int status;

    ResponseHead(ByteBuf bytes, int[] lineEnds, int lineCount, HeadRecycler recycler) {
        super(bytes, lineEnds, lineCount, HttpError.BAD_RESPONSE, recycler);
        statusLineEnd = lineEnds[0];
        if (statusLineEnd < VERSION_LENGTH + 4 || bytes.getByte(VERSION_LENGTH) != HttpBytes.SP) {
            throw new HttpParseException(HttpError.BAD_RESPONSE, "malformed status line");
        }
        parseVersion(0, HttpError.BAD_RESPONSE);
        int code = 0;
        for (int i = VERSION_LENGTH + 1; i < VERSION_LENGTH + 4; i++) {
            byte b = bytes.getByte(i);
            if (b < '0' || b > '9') {
                throw new HttpParseException(HttpError.BAD_RESPONSE, "malformed status code");
            }
            code = code * 10 + (b - '0');
        }
        int reasonStart = VERSION_LENGTH + 4;
        if (code < 100 || (reasonStart < statusLineEnd && bytes.getByte(reasonStart) != HttpBytes.SP)
                || bytes.forEachByte(reasonStart, statusLineEnd - reasonStart, HttpBytes.IS_FIELD_CHAR) >= 0) {
            throw new HttpParseException(HttpError.BAD_RESPONSE, "malformed status line");
        }
        status = code;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public boolean hasBody() {
        return framing() != Framing.NONE;
    }

    /** It says the connection stays, and its body ends by its own framing, not by the connection's close. */
    @Override
    public boolean keepsConnection() {
        return keepAlive() && framing() != Framing.CLOSE;
    }

    /**
     * The head to send the client: its HTTP version, the backend's status and fields minus hop-by-hop ones, and the
     * framing and connection fields the client's connection needs.
     *
     * @param clientMinor 1 for an HTTP/1.1 client, 0 for HTTP/1.0
     * @param keepAlive   whether the client's connection stays open after this response
     * @param reChunk     whether the body, delimited by the backend closing, is sent chunked instead
     * @param deChunk     whether the chunked body is sent without its chunk framing (to an HTTP/1.0 client)
     * @param edits       the route's edits of response fields
     */
    public ByteBuf encodeForClient(ByteBufAllocator alloc, int clientMinor, boolean keepAlive, boolean reChunk,
                                   boolean deChunk, HeaderEdits edits) {
        return encodeForClient(alloc, clientMinor, keepAlive, reChunk, deChunk, edits, null, HeaderKind.OTHER);
    }

    /**
     * As above, with field lines of the exchange's own ({@code Name: value\r\n}…, or {@code null}), and the fields of
     * the {@link HeaderKind kinds} in {@code dropped} left out (the length of a body that is compressed on the way).
     */
    public ByteBuf encodeForClient(ByteBufAllocator alloc, int clientMinor, boolean keepAlive, boolean reChunk,
                                   boolean deChunk, HeaderEdits edits, byte[] extraLine, int dropped) {
        int extra = extraLine == null ? 0 : extraLine.length;
        for (byte[] line : edits.added()) {
            extra += line.length;
        }
        ByteBuf out = alloc.directBuffer(size() + 64 + extra);
        out.writeBytes(clientMinor == 1 ? HTTP_1_1 : HTTP_1_0);
        out.writeBytes(bytes, VERSION_LENGTH, statusLineEnd - VERSION_LENGTH).writeShort(HttpBytes.CRLF);
        boolean switching = status == 101;
        copyFields(out, HeaderKind.CONNECTION | HeaderKind.HOP_BY_HOP | (switching ? 0 : HeaderKind.UPGRADE)
                | (deChunk ? HeaderKind.TRANSFER_ENCODING : 0) | dropped, edits.removed());
        for (byte[] line : edits.added()) {
            out.writeBytes(line);
        }
        if (extraLine != null) {
            out.writeBytes(extraLine);
        }
        if (reChunk) {
            out.writeBytes(CHUNKED);
        }
        if (switching) {
            out.writeBytes(UPGRADE);
        } else if (clientMinor == 0 && keepAlive) {
            out.writeBytes(KEEP_ALIVE);
        } else if (clientMinor == 1 && !keepAlive) {
            out.writeBytes(CLOSE);
        }
        out.writeShort(HttpBytes.CRLF);
        return out;
    }
}
