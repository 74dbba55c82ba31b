package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;

/**
 * Splits a connection's bytes into HTTP/1.x messages without building them: emits a {@link MessageHead}, then the body
 * as slices of the received buffers, then {@link MessageEnd}. A chunked body is passed on with its framing, or, when
 * asked, as its data alone. After a parse error it emits an {@link HttpError} and ignores the rest of the connection.
 */
abstract class Http1Decoder extends ByteToMessageDecoder {
    private enum State { HEAD, LENGTH, CHUNKED, CLOSE, PAUSED, FAILED }

    private final HeadScanner scanner;
    private final HttpError error;
    /** Made for the connection's first chunked body: most connections never see one. */
    private ChunkedBody chunks;
    private State state = State.HEAD;
    private long remaining;
    /** Messages decoded to their end so far. */
    private long messagesEnded;
    private boolean deChunk;
    private boolean keepTrailers;
    private HeadRecycler recycler = HeadRecycler.NONE; // until the decoder joins a channel

    Http1Decoder(HeadScanner scanner, HttpError error) {
        this.scanner = scanner;
        this.error = error;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        recycleHeadsOn(ctx.executor());
        super.handlerAdded(ctx);
    }

    /**
     * Decodes without a pipeline, for an owner that hands the messages on itself (an HTTP/2 lane). Bodies and their
     * chunk framing may be split anywhere, but a head must come whole: no bytes are kept for the next call.
     */
    public final void decodeDetached(ByteBuf in, List<Object> out) {
        decode(null, in, out);
    }

    /** Lets heads decoded outside a pipeline reuse what the previous heads decoded on that loop left. */
    public final void recycleHeadsOn(EventExecutor loop) {
        recycler = HeadRecycler.of(loop);
    }

    /** Parses a complete head; throws {@link HttpParseException} when it is malformed. */
    abstract MessageHead parseHead(ByteBuf bytes, int[] lineEnds, int lineCount, HeadRecycler recycler);

    /** How the body of this message is delimited; throws {@link HttpParseException} when that is ambiguous. */
    abstract Framing framingOf(MessageHead head);

    /** Whether a message with this head has no end of its own: another head follows (a 1xx answer). */
    boolean interim(MessageHead head) {
        return false;
    }

    /** Whether decoding stops after this message until {@link #resume} or {@link #tunnel} is called. */
    boolean pausesAfter(MessageHead head) {
        return false;
    }

    /**
     * Continues with HTTP after a pause (the upgrade was refused); bytes that arrived meanwhile are decoded now, as if
     * just read. Call it on the channel's event loop, outside the handling of a message.
     */
    public final void resume(Channel channel) {
        leavePause(State.HEAD, channel);
    }

    /**
     * Stops parsing for good after a pause (the protocol was upgraded): every byte from now on, and those that arrived
     * meanwhile, is passed on as it is, and the connection's end ends the message. Call it as {@link #resume}.
     */
    public final void tunnel(Channel channel) {
        leavePause(State.CLOSE, channel);
    }

    private void leavePause(State next, Channel channel) {
        if (state == State.PAUSED) {
            state = next;
            if (internalBuffer().isReadable()) {
                // Only bytes that did arrive make a read: an empty one would look like the start of a request head
                // to the exchange, which would then time an idle connection as a slow client.
                channel.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER).fireChannelReadComplete();
            }
        }
    }

    /** With {@link #deChunk}: passes a chunked body's trailer fields on as {@link Trailers} before its end. */
    public final void keepTrailers(boolean keep) {
        this.keepTrailers = keep;
    }

    /** Passes the data of the next chunked bodies without their framing. */
    final void deChunk(boolean deChunk) {
        this.deChunk = deChunk;
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            while (in.isReadable()) {
                switch (state) {
                    case HEAD -> {
                        if (!readHead(in, out)) {
                            return;
                        }
                    }
                    case LENGTH -> readLength(in, out);
                    case CHUNKED -> {
                        if (deChunk) {
                            readChunkData(in, out);
                        } else {
                            readChunks(in, out);
                        }
                    }
                    case CLOSE -> out.add(in.readRetainedSlice(in.readableBytes()));
                    case PAUSED -> {
                        return;
                    }
                    case FAILED -> in.skipBytes(in.readableBytes());
                }
            }
        } catch (HttpParseException e) {
            in.skipBytes(in.readableBytes());
            out.add(e.error());
            state = State.FAILED;
        }
    }

    @Override
    protected final void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (state == State.CLOSE) {
            // The sender closed: that is how this body ends.
            endMessage(out);
        }
    }

    private boolean readHead(ByteBuf in, List<Object> out) {
        if (scanner.atStart()) {
            // Stray line breaks between messages are tolerated (RFC 9112 §2.2).
            while (in.isReadable() && (in.getByte(in.readerIndex()) == HttpBytes.CR
                    || in.getByte(in.readerIndex()) == HttpBytes.LF)) {
                in.skipBytes(1);
            }
            if (!in.isReadable()) {
                return false;
            }
        }
        int length = scanner.scan(in, recycler);
        if (length < 0) {
            return false;
        }
        ByteBuf bytes = in.readRetainedSlice(length);
        MessageHead head;
        Framing framing;
        try {
            head = parseHead(bytes, scanner.lineEnds(), scanner.lineCount(), recycler);
        } catch (RuntimeException e) {
            bytes.release();
            throw e;
        } finally {
            scanner.reset(recycler);
        }
        try {
            framing = framingOf(head);
        } catch (RuntimeException e) {
            head.release();
            throw e;
        }
        head.framing(framing);
        out.add(head);
        switch (framing) {
            case NONE -> {
                if (!interim(head)) {
                    endMessage(out);
                    if (pausesAfter(head)) {
                        state = State.PAUSED;
                    }
                }
            }
            case LENGTH -> {
                remaining = head.contentLength();
                state = State.LENGTH;
            }
            case CHUNKED -> {
                if (chunks == null) {
                    chunks = new ChunkedBody(error);
                }
                chunks.reset();
                chunks.keepTrailers(keepTrailers && deChunk ? new StringBuilder() : null);
                state = State.CHUNKED;
            }
            case CLOSE -> state = State.CLOSE;
        }
        return true;
    }

    private void readLength(ByteBuf in, List<Object> out) {
        int count = (int) Math.min(remaining, in.readableBytes());
        out.add(in.readRetainedSlice(count));
        remaining -= count;
        if (remaining == 0) {
            endMessage(out);
        }
    }

    /** Passes the body on as it came, framing included, up to its end. */
    private void readChunks(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int i = start;
        while (i < end && !chunks.done()) {
            if (chunks.inData()) {
                int count = (int) Math.min(chunks.dataLeft(), end - i);
                chunks.consumeData(count);
                i += count;
            } else {
                i = chunks.skipFraming(in, i, end);
            }
        }
        out.add(in.readRetainedSlice(i - start));
        if (chunks.done()) {
            endMessage(out);
        }
    }

    /** Passes on the chunks' data only. */
    private void readChunkData(ByteBuf in, List<Object> out) {
        while (in.isReadable() && !chunks.done()) {
            if (chunks.inData()) {
                int count = (int) Math.min(chunks.dataLeft(), in.readableBytes());
                out.add(in.readRetainedSlice(count));
                chunks.consumeData(count);
            } else {
                in.readerIndex(chunks.skipFraming(in, in.readerIndex(), in.writerIndex()));
            }
        }
        if (chunks.done()) {
            StringBuilder trailers = chunks.trailers();
            if (trailers != null && !trailers.isEmpty()) {
                out.add(new Trailers(trailers.toString()));
            }
            chunks.keepTrailers(null);
            endMessage(out);
        }
    }

    private void endMessage(List<Object> out) {
        out.add(MessageEnd.INSTANCE);
        messagesEnded++;
        state = State.HEAD;
    }

    final long messagesEnded() {
        return messagesEnded;
    }

    /** Whether no byte of a next message has arrived since the last one ended, not even part of a head. */
    final boolean betweenMessages() {
        return state == State.HEAD && scanner.atStart() && !internalBuffer().isReadable();
    }
}
