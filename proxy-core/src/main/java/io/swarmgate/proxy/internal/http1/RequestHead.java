package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.proxy.internal.head.ClientRequestHead;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A request head: request line and fields, parsed in place (see {@link MessageHead}). */
public final class RequestHead extends MessageHead implements ClientRequestHead {
    private static final byte[] HTTP_1_1_CRLF = HeaderKind.ascii(" HTTP/1.1\r\n");
    private static final byte[] X_FORWARDED_FOR = HeaderKind.ascii("X-Forwarded-For: ");
    private static final byte[] X_FORWARDED_PROTO = HeaderKind.ascii("X-Forwarded-Proto: ");
    private static final byte[] X_FORWARDED_HOST = HeaderKind.ascii("X-Forwarded-Host: ");
    private static final byte[] X_FORWARDED_PORT = HeaderKind.ascii("X-Forwarded-Port: ");
    private static final byte[] CONNECTION_UPGRADE = HeaderKind.ascii("Connection: Upgrade\r\n");
    private static final byte[] UPGRADE = HeaderKind.ascii("Upgrade: ");
    private static final byte[] HOST = HeaderKind.ascii("Host: ");
    private static final int DROPPED_TOWARDS_BACKEND = HeaderKind.CONNECTION | HeaderKind.HOP_BY_HOP
            | HeaderKind.UPGRADE | HeaderKind.X_FORWARDED_FOR | HeaderKind.X_FORWARDED_PROTO
            | HeaderKind.X_FORWARDED_HOST | HeaderKind.X_FORWARDED_PORT;

    private final int methodEnd;
    private final int targetEnd;
    private final HttpMethod method;

    RequestHead(ByteBuf bytes, int[] lineEnds, int lineCount, HeadRecycler recycler) {
        super(bytes, lineEnds, lineCount, HttpError.BAD_REQUEST, recycler);
        int lineEnd = lineEnds[0];
        methodEnd = bytes.forEachByte(0, lineEnd, HttpBytes.IS_TCHAR);
        if (methodEnd <= 0 || bytes.getByte(methodEnd) != HttpBytes.SP) {
            throw new HttpParseException(HttpError.BAD_REQUEST, "malformed method");
        }
        int targetStart = methodEnd + 1;
        targetEnd = bytes.forEachByte(targetStart, lineEnd - targetStart, HttpBytes.IS_TARGET_CHAR);
        if (targetEnd <= targetStart || bytes.getByte(targetEnd) != HttpBytes.SP || lineEnd - targetEnd != 9) {
            throw new HttpParseException(HttpError.BAD_REQUEST, "malformed request target");
        }
        parseVersion(targetEnd + 1, HttpError.BAD_REQUEST);
        method = methodOf(bytes, methodEnd);
    }

    @Override
    public String header(String name) {
        return value(name);
    }

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    public String target() {
        return recycler.text(bytes, methodEnd + 1, targetEnd - methodEnd - 1, HeadRecycler.TARGET);
    }

    @Override
    public int hosts() {
        return hostCount();
    }

    @Override
    public String host() {
        return hostValue();
    }

    @Override
    public String forwardedFor() {
        if (!has(HeaderKind.X_FORWARDED_FOR)) {
            return null;
        }
        String joined = null;
        for (int f = 0; f < fieldCount(); f++) {
            if (kind(f) == HeaderKind.X_FORWARDED_FOR) {
                joined = joined == null ? value(f) : joined + "," + value(f);
            }
        }
        return joined;
    }

    @Override
    public boolean hasBody() {
        return framing() != Framing.NONE;
    }

    @Override
    public void keep() {
        retain();
    }

    @Override
    public ByteBuf encodeForBackend(ByteBufAllocator alloc, String target, String host, String upgrade,
                                    byte[] clientAddress, byte[] proto, byte[] localPort, byte[][] removed,
                                    List<byte[]> added) {
        int extra = (host == null ? 0 : 2 * host.length()) + (upgrade == null ? 0 : upgrade.length());
        for (int i = 0; i < added.size(); i++) { // indexed: no iterator per request
            extra += added.get(i).length;
        }
        ByteBuf out = alloc.directBuffer(size() + (target == null ? 0 : target.length()) + clientAddress.length + extra
                + 160);
        out.writeBytes(bytes, 0, methodEnd + 1);
        if (target == null) {
            out.writeBytes(bytes, methodEnd + 1, targetEnd - methodEnd - 1);
        } else {
            ByteBufUtil.writeAscii(out, target);
        }
        out.writeBytes(HTTP_1_1_CRLF);
        if (host != null) {
            ByteBufUtil.writeAscii(out.writeBytes(HOST), host);
            out.writeShort(HttpBytes.CRLF);
        }
        copyFields(out, DROPPED_TOWARDS_BACKEND | (host == null ? 0 : HeaderKind.HOST), removed);
        if (upgrade != null) {
            ByteBufUtil.writeAscii(out.writeBytes(UPGRADE), upgrade);
            out.writeShort(HttpBytes.CRLF).writeBytes(CONNECTION_UPGRADE);
        }
        for (int i = 0; i < added.size(); i++) {
            out.writeBytes(added.get(i));
        }
        out.writeBytes(X_FORWARDED_FOR);
        if (has(HeaderKind.X_FORWARDED_FOR)) {
            for (int f = 0; f < fieldCount(); f++) {
                if (kind(f) == HeaderKind.X_FORWARDED_FOR) {
                    copyValue(f, out);
                    out.writeByte(',').writeByte(' ');
                }
            }
        }
        out.writeBytes(clientAddress).writeShort(HttpBytes.CRLF);
        out.writeBytes(X_FORWARDED_PROTO).writeBytes(proto).writeShort(HttpBytes.CRLF);
        if (host != null) {
            ByteBufUtil.writeAscii(out.writeBytes(X_FORWARDED_HOST), host);
            out.writeShort(HttpBytes.CRLF);
        } else if (hosts() == 1) {
            out.writeBytes(X_FORWARDED_HOST);
            for (int f = 0; f < fieldCount(); f++) {
                if (kind(f) == HeaderKind.HOST) {
                    copyValue(f, out);
                }
            }
            out.writeShort(HttpBytes.CRLF);
        }
        out.writeBytes(X_FORWARDED_PORT).writeBytes(localPort).writeShort(HttpBytes.CRLF);
        out.writeShort(HttpBytes.CRLF);
        return out;
    }

    /** Standard methods map to Netty's constants without building a string. */
    private static HttpMethod methodOf(ByteBuf bytes, int length) {
        HttpMethod known = switch (length) {
            case 3 -> matches(bytes, HttpMethod.GET) ? HttpMethod.GET : matches(bytes, HttpMethod.PUT) ? HttpMethod.PUT : null;
            case 4 -> matches(bytes, HttpMethod.POST) ? HttpMethod.POST : matches(bytes, HttpMethod.HEAD) ? HttpMethod.HEAD : null;
            case 5 -> matches(bytes, HttpMethod.PATCH) ? HttpMethod.PATCH : matches(bytes, HttpMethod.TRACE) ? HttpMethod.TRACE : null;
            case 6 -> matches(bytes, HttpMethod.DELETE) ? HttpMethod.DELETE : null;
            case 7 -> matches(bytes, HttpMethod.OPTIONS) ? HttpMethod.OPTIONS
                    : matches(bytes, HttpMethod.CONNECT) ? HttpMethod.CONNECT : null;
            default -> null;
        };
        return known != null ? known : HttpMethod.valueOf(bytes.toString(0, length, StandardCharsets.US_ASCII));
    }

    private static boolean matches(ByteBuf bytes, HttpMethod method) {
        byte[] name = method.asciiName().array();
        int offset = method.asciiName().arrayOffset();
        for (int i = 0; i < method.asciiName().length(); i++) {
            if (bytes.getByte(i) != name[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
