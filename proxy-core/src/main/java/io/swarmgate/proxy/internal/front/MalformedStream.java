package io.swarmgate.proxy.internal.front;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.internal.http2.ResponseBridge;
import java.nio.charset.StandardCharsets;

/**
 * The 400 a stream gets, HTTP/2's or HTTP/3's, when its request has no HTTP/1.1 form: no {@code :method} or
 * {@code :path}, or a line break in a field, which would let the client write HTTP/1.1 lines of its own.
 */
final class MalformedStream {
    private static final byte[] BAD_REQUEST = ("400 Bad Request\nThe request lacks :method or :path, or a field holds"
            + " a line break or NUL, or it is a CONNECT, which this proxy does not tunnel.\n")
            .getBytes(StandardCharsets.US_ASCII);

    private MalformedStream() {
    }

    /** Writes the answer, which ends the stream. */
    static void answer(ResponseBridge.Frames stream) {
        Http2Headers headers = new DefaultHttp2Headers().status(HttpResponseStatus.BAD_REQUEST.codeAsText())
                .add(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        stream.headers(headers, false);
        stream.data(Unpooled.wrappedBuffer(BAD_REQUEST), true);
    }
}
