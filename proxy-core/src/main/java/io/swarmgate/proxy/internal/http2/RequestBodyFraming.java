package io.swarmgate.proxy.internal.http2;

import static io.swarmgate.proxy.internal.http2.FieldLines.CRLF;
import static io.swarmgate.proxy.internal.http2.FieldLines.LAST_CHUNK;
import static io.swarmgate.proxy.internal.http2.FieldLines.writeFields;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.internal.http1.MessageEnd;
import java.util.function.Consumer;

/**
 * An HTTP/2 request's body in the framing its head announced to an HTTP/1.1 backend ({@link Http2RequestHead}): DATA
 * as it is when a Content-Length gives its size, else as chunks, trailing HEADERS as the chunked body's trailer
 * section; then {@link MessageEnd}. Towards an h2c backend ({@link Http2RequestHead#framed}) the DATA goes as it is and
 * the trailing HEADERS as their header list. One per lane, reused for each of its streams.
 */
public final class RequestBodyFraming {
    private static final ByteBuf CHUNK_END = Unpooled.unreleasableBuffer(Unpooled.directBuffer(2).writeBytes(CRLF)
            .asReadOnly());
    private boolean chunked;
    /** The body goes to an h2c backend as frames: trailers too. */
    private boolean frames;
    /** The body's end was handed on (at once for a request without one). */
    private boolean ended;

    /** A new request, once its route is known: hands its end on at once when it has no body. */
    public void begin(Http2RequestHead head, Consumer<Object> out) {
        frames = head.framed();
        chunked = !frames && head.chunkedBody();
        ended = !head.hasBody();
        if (ended) {
            out.accept(MessageEnd.INSTANCE);
        }
    }

    /** Hands a DATA frame's bytes on; {@code end}: the stream ends with them. */
    public void data(ByteBufAllocator alloc, ByteBuf data, boolean end, Consumer<Object> out) {
        if (ended) {
            data.release();
            return;
        }
        if (!chunked) {
            out.accept(data);
        } else if (data.isReadable()) {
            ByteBuf size = alloc.buffer(10);
            FieldLines.writeChunkSize(size, data.readableBytes());
            out.accept(size);
            out.accept(data);
            out.accept(CHUNK_END.duplicate());
        } else {
            data.release();
        }
        if (end) {
            end(alloc, null, out);
        }
    }

    /**
     * The trailing fields, which end the request: a chunked body carries them; a body of declared length has no
     * place for them. Returns false when a field is unsafe.
     */
    public boolean trailers(ByteBufAllocator alloc, Http2Headers fields, Consumer<Object> out) {
        return ended || end(alloc, fields, out);
    }

    private boolean end(ByteBufAllocator alloc, Http2Headers trailers, Consumer<Object> out) {
        if (chunked) {
            ByteBuf last = alloc.buffer(trailers == null ? 5 : 64);
            last.writeBytes(LAST_CHUNK);
            if (trailers != null && !writeFields(last, trailers)) {
                last.release();
                return false;
            }
            out.accept(last.writeBytes(CRLF));
        } else if (frames && trailers != null) {
            out.accept(trailers);
        }
        ended = true;
        out.accept(MessageEnd.INSTANCE);
        return true;
    }
}
