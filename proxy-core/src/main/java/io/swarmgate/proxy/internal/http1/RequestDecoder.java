package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;

/** Decodes the requests of a client connection (see {@link Http1Decoder}), strictly. */
public final class RequestDecoder extends Http1Decoder {
    /** A longer request line gets 414. */
    public static final int MAX_REQUEST_LINE = 8192;
    /** A larger head gets 431. */
    public static final int MAX_HEAD_SIZE = 16384;
    /** More header fields get 431. */
    public static final int MAX_FIELDS = 100;

    /** The bytes the connection has read so far (after TLS), which the exchanges' records count. */
    private long bytesRead;

    public RequestDecoder() {
        super(new HeadScanner(MAX_REQUEST_LINE, MAX_HEAD_SIZE, MAX_FIELDS, HttpError.BAD_REQUEST),
                HttpError.BAD_REQUEST);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf bytes) {
            bytesRead += bytes.readableBytes();
        }
        super.channelRead(ctx, msg);
    }

    public long bytesRead() {
        return bytesRead;
    }

    @Override
    MessageHead parseHead(ByteBuf bytes, int[] lineEnds, int lineCount, HeadRecycler recycler) {
        return new RequestHead(bytes, lineEnds, lineCount, recycler);
    }

    /** After an upgrade request nothing is parsed until its answer says whether the protocol changes. */
    @Override
    boolean pausesAfter(MessageHead head) {
        return head.upgrade();
    }

    /**
     * RFC 9112 §6.3, minus everything a smuggler could use: Transfer-Encoding must end with chunked and name it once
     * (a backend that decodes {@code chunked, chunked} twice reads another body), comes with no Content-Length, and only
     * in HTTP/1.1.
     */
    @Override
    Framing framingOf(MessageHead head) {
        if (head.has(HeaderKind.TRANSFER_ENCODING)) {
            if (head.versionMinor() == 0 || head.contentLength() >= 0 || !head.chunkedLast()
                    || head.chunkedCodings() != 1) {
                throw new HttpParseException(HttpError.BAD_REQUEST, "ambiguous or unsupported Transfer-Encoding");
            }
            return Framing.CHUNKED;
        }
        return head.contentLength() > 0 ? Framing.LENGTH : Framing.NONE;
    }
}
