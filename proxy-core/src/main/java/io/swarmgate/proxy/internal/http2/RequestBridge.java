package io.swarmgate.proxy.internal.http2;

import static io.swarmgate.proxy.internal.http2.FieldLines.CHUNKED;
import static io.swarmgate.proxy.internal.http2.FieldLines.CRLF;
import static io.swarmgate.proxy.internal.http2.FieldLines.LAST_CHUNK;
import static io.swarmgate.proxy.internal.http2.FieldLines.connectionField;
import static io.swarmgate.proxy.internal.http2.FieldLines.safe;
import static io.swarmgate.proxy.internal.http2.FieldLines.writeField;
import static io.swarmgate.proxy.internal.http2.FieldLines.writeFields;
import static io.swarmgate.proxy.internal.http2.FieldLines.writeText;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An HTTP/2 request in HTTP/1.1 form, for the proxy's HTTP/1.1 handling: HEADERS become a head ({@code :authority}
 * the Host, cookie crumbs joined), DATA the body (chunked when no Content-Length gives its size), trailing HEADERS the
 * chunked body's trailer section. One per lane, reused for each of its streams.
 */
public final class RequestBridge {
    private static final byte[] VERSION = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final AsciiString CONNECT = HttpMethod.CONNECT.asciiName();
    private static final AsciiString PROTOCOL = Http2Headers.PseudoHeaderName.PROTOCOL.value();
    private boolean chunkedBody;
    private boolean headRequest;

    /**
     * The head of a new request, or {@code null} when a field holds a line break or NUL: it would let the client write
     * HTTP/1.1 lines of its own, so the request gets a 400 instead. A CONNECT, plain or extended ({@code :protocol},
     * RFC 8441), gets the same 400: the proxy tunnels nothing over HTTP/2 and does not advertise
     * SETTINGS_ENABLE_CONNECT_PROTOCOL, and a tunnel would carry requests past the route's rules.
     */
    public ByteBuf head(ByteBufAllocator alloc, Http2Headers headers, boolean endStream) {
        CharSequence method = headers.method();
        CharSequence path = headers.path();
        CharSequence authority = headers.authority();
        if (method == null || path == null || !safe(method) || !safe(path) || AsciiString.contentEquals(method, CONNECT)
                || headers.contains(PROTOCOL)) {
            return null;
        }
        ByteBuf head = alloc.buffer(256);
        writeText(head, method);
        head.writeByte(' ');
        writeText(head, path);
        head.writeBytes(VERSION);
        boolean valid = authority == null || writeField(head, HttpHeaderNames.HOST, authority);
        StringBuilder cookies = null;
        boolean hasLength = false;
        for (Map.Entry<CharSequence, CharSequence> field : headers) {
            CharSequence name = field.getKey();
            if (!valid) {
                break;
            }
            if (name.length() > 0 && name.charAt(0) == ':' || connectionField(name)
                    || authority != null && HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) {
                continue;
            }
            if (HttpHeaderNames.COOKIE.contentEqualsIgnoreCase(name)) {
                // HTTP/2 may split the cookie field into crumbs; HTTP/1.1 wants one line (RFC 9113 §8.2.3).
                cookies = cookies == null ? new StringBuilder() : cookies.append("; ");
                cookies.append(field.getValue());
                continue;
            }
            hasLength |= HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name);
            valid = writeField(head, name, field.getValue());
        }
        if (valid && cookies != null) {
            valid = writeField(head, HttpHeaderNames.COOKIE, cookies);
        }
        if (!valid) {
            head.release();
            return null;
        }
        chunkedBody = !endStream && !hasLength;
        if (chunkedBody) {
            head.writeBytes(CHUNKED);
        }
        head.writeBytes(CRLF);
        headRequest = AsciiString.contentEquals(method, "HEAD");
        return head;
    }

    /** Whether the request in progress is a HEAD, whose answer has no body whatever its fields say. */
    public boolean headRequest() {
        return headRequest;
    }

    /** Hands a DATA frame's bytes to {@code out} as the body's next bytes; {@code end}: the stream ends with them. */
    public void body(ByteBufAllocator alloc, ByteBuf data, boolean end, Consumer<Object> out) {
        Http1Stream.frameBody(alloc, data, chunkedBody, end, out);
    }

    /**
     * The body's end with the trailing fields, for a chunked body; {@link Unpooled#EMPTY_BUFFER} for a body of declared
     * length, which has no place for them; {@code null} when a field is unsafe.
     */
    public ByteBuf trailers(ByteBufAllocator alloc, Http2Headers headers) {
        if (!chunkedBody) {
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf end = alloc.buffer(64);
        end.writeBytes(LAST_CHUNK);
        boolean valid = writeFields(end, headers);
        end.writeBytes(CRLF);
        if (!valid) {
            end.release();
            return null;
        }
        return end;
    }
}
