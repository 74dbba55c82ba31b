package io.swarmgate.proxy.internal.http2;

import static io.swarmgate.proxy.internal.http2.FieldLines.CRLF;
import static io.swarmgate.proxy.internal.http2.FieldLines.LAST_CHUNK;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The HTTP/1.1 side of a bridge: bytes the proxy's handlers write are parsed into messages (a head, body data, the
 * end), keeping an incomplete part for the next write; body data read from HTTP/2 is passed on in HTTP/1.1 framing.
 */
final class Http1Stream {
    private final BiConsumer<ByteBuf, List<Object>> parser;
    private final List<Object> parsed = new ArrayList<>(4);
    private ByteBuf unparsed;

    Http1Stream(BiConsumer<ByteBuf, List<Object>> parser) {
        this.parser = parser;
    }

    /** The messages {@code bytes} completes; the caller takes them and clears the list. */
    List<Object> parse(ByteBufAllocator alloc, ByteBuf bytes) {
        unparsed = unparsed == null ? bytes : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, unparsed, bytes);
        try {
            parser.accept(unparsed, parsed);
        } finally {
            if (!unparsed.isReadable()) {
                unparsed.release();
                unparsed = null;
            }
        }
        return parsed;
    }

    void release() {
        if (unparsed != null) {
            unparsed.release();
            unparsed = null;
        }
    }

    /** Passes a DATA frame's bytes on, as a chunk when the body is chunked, with the last chunk at the stream's end. */
    static void fireBody(ChannelHandlerContext ctx, ByteBuf data, boolean chunked, boolean end) {
        if (!chunked) {
            ctx.fireChannelRead(data);
            return;
        }
        if (data.isReadable()) {
            ByteBuf size = ctx.alloc().buffer(10);
            FieldLines.writeChunkSize(size, data.readableBytes());
            ctx.fireChannelRead(size);
            ctx.fireChannelRead(data);
            ctx.fireChannelRead(Unpooled.wrappedBuffer(CRLF));
        } else {
            data.release();
        }
        if (end) {
            ctx.fireChannelRead(Unpooled.wrappedBuffer(LAST_CHUNK, CRLF));
        }
    }
}
