package io.swarmgate.proxy.internal.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.internal.exchange.ExchangeRecord;
import io.swarmgate.proxy.internal.exchange.LocalAnswer;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's own answers on a stream of a multiplexed connection, HTTP/2's ({@link Http2Lane}) or HTTP/3's
 * ({@link Http3Stream}): HEADERS and DATA built from a {@link LocalAnswer}'s fields, and the 400 of a request that
 * has no HTTP/1.1 form (no {@code :method} or {@code :path}, or a line break in a field, which would let the client
 * write HTTP/1.1 lines of its own).
 */
final class StreamAnswers {
    /** The frames a stream writes, in its own protocol. */
    interface Frames {
        void headers(Http2Headers headers, boolean endStream);

        void data(ByteBuf data, boolean endStream);
    }

    /** The malformed request's answer head; Netty only reads it, so one list serves every stream. */
    private static final Http2Headers MALFORMED = new DefaultHttp2Headers()
            .status(HttpResponseStatus.BAD_REQUEST.codeAsText())
            .add(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");

    private static final ByteBuf MALFORMED_BODY = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(("400 Bad "
            + "Request\nThe request lacks :method or :path, or a field holds a line break or NUL, or it is a CONNECT, "
            + "which this proxy does not tunnel.\n").getBytes(StandardCharsets.US_ASCII)));

    private StreamAnswers() {
    }

    /** Writes {@code answer}, which ends the stream: its head alone for a HEAD request. */
    static void write(LocalAnswer answer, boolean headRequest, ExchangeRecord record, ByteBufAllocator alloc,
                      Frames stream) {
        if (headRequest) {
            stream.headers(answer.http2Headers(), true);
            return;
        }
        ByteBuf content = answer.body(alloc);
        record.sent(content.readableBytes());
        stream.headers(answer.http2Headers(), false);
        stream.data(content, true);
    }

    /** Writes the 400 of a malformed request, which ends the stream. */
    static void malformed(Frames stream) {
        stream.headers(MALFORMED, false);
        stream.data(MALFORMED_BODY.duplicate(), true);
    }
}
