package io.swarmgate.proxy.internal.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;

/**
 * The 400 a stream gets, HTTP/2's or HTTP/3's, when its request has no HTTP/1.1 form: no {@code :method} or
 * {@code :path}, or a line break in a field, which would let the client write HTTP/1.1 lines of its own.
 */
final class MalformedStream {
    /** The answer's head; Netty only reads it, so one list serves every stream. */
    static final Http2Headers HEADERS = new DefaultHttp2Headers()
            .status(HttpResponseStatus.BAD_REQUEST.codeAsText())
            .add(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");

    private static final ByteBuf BODY = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(("400 Bad Request\nThe "
            + "request lacks :method or :path, or a field holds a line break or NUL, or it is a CONNECT, which this "
            + "proxy does not tunnel.\n").getBytes(StandardCharsets.US_ASCII)));

    private MalformedStream() {
    }

    /** The answer's body, a view of its own for one stream. */
    static ByteBuf body() {
        return BODY.duplicate();
    }
}
