package io.swarmgate.proxy.internal.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.exchange.Downstream;
import io.swarmgate.proxy.internal.exchange.ExchangeRecord;
import io.swarmgate.proxy.internal.http1.RequestDecoder;
import io.swarmgate.proxy.internal.http2.RequestBridge;
import io.swarmgate.proxy.internal.http2.ResponseBridge;
import io.swarmgate.proxy.internal.io.ClientAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Serves HTTP/2 streams, one at a time, through the proxy's HTTP/1.1 exchange ({@link FrontendHandler}), as a
 * keep-alive connection serves its requests: a stream's HEADERS and DATA become an HTTP/1.1 request for the exchange,
 * and the HTTP/1.1 answer it writes becomes the stream's frames. No channel per stream: a lane is a handful of objects,
 * reused for the connection's next stream once its stream has closed with the exchange complete.
 *
 * <p>The exchange's backpressure maps onto flow control: while it does not read, the stream's DATA is not counted as
 * consumed, so its window is not given back and the client stops; it is writable while the stream's window and the
 * connection take more.
 */
final class Http2Lane implements Downstream, ResponseBridge.Frames {
    private static final byte[] BAD_REQUEST = ("400 Bad Request\nThe request lacks :method or :path, or a field holds"
            + " a line break or NUL, or it is a CONNECT, which this proxy does not tunnel.\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final Http2Front front;
    private final ChannelHandlerContext ctx;
    private final FrontendHandler exchange;
    private final ExchangeRecord record = new ExchangeRecord(true);
    private final RequestDecoder decoder = new RequestDecoder();
    private final RequestBridge request = new RequestBridge();
    private final ResponseBridge response;
    private final List<Object> decoded = new ArrayList<>(4);
    private final Consumer<Object> deliver = this::deliver;
    /** The request's parts that came while its exchange waited to start, in order. */
    private final ArrayDeque<ByteBuf> held = new ArrayDeque<>(4);
    /** The stream being served, or {@code null} between streams. */
    private Http2Stream stream;
    private boolean opened;
    /** The stream's head came in a read that is still being decoded: the exchange starts at its end. */
    private boolean waiting;
    private boolean reading = true;
    /** DATA bytes received while not reading, to be counted as consumed when reading resumes. */
    private int unconsumed;
    /** The stream was answered here (a 400), without the exchange. */
    private boolean refused;
    /** The exchange ended the lane, or is about to: it is not reused. */
    private boolean closing;
    /** The lane is closed; its exchange's end is on the way (see {@link #close}). */
    private boolean ending;
    /** The write that ends the stream's answer. */
    private ChannelFuture endOfStream;

    Http2Lane(Http2Front front, ProxyContext context) {
        this.front = front;
        this.ctx = front.channelContext();
        this.exchange = new FrontendHandler(context, front.client().secure());
        this.response = new ResponseBridge(ctx.executor());
        decoder.recycleHeadsOn(ctx.executor());
        record.client(ClientAddress.of(ctx.channel()));
        exchange.attach(this, record, front.overLimit());
    }

    /**
     * A new stream's request head, held until {@link #start}; returns false when it was answered here (a 400) and there
     * is nothing to start.
     */
    boolean requestHead(Http2Stream newStream, Http2Headers headers, boolean endStream) {
        stream = newStream;
        refused = false;
        endOfStream = null;
        ByteBuf head = request.head(ctx.alloc(), headers, endStream);
        if (head == null) {
            refuse();
            return false;
        }
        response.begin(request.headRequest());
        waiting = true;
        held.add(head);
        return true;
    }

    /**
     * Starts the exchange of the stream whose head {@link #requestHead} held, with what else of its request came
     * meanwhile: it is routed, and its backend connection taken, only now.
     */
    void start() {
        waiting = false;
        if (!opened) {
            opened = true;
            exchange.opened(front.client()); // over the connection limit, this answers the 503
        }
        ByteBuf part;
        while ((part = held.poll()) != null) {
            decode(part);
        }
        exchange.readComplete();
    }

    /** The stream being served (or waiting to start). */
    int streamId() {
        return stream.id();
    }

    /** A DATA frame of the request; returns the bytes consumed now (the rest when reading resumes). */
    int requestData(ByteBuf data, int padding, boolean endStream) {
        int length = data.readableBytes() + padding;
        if (refused || closing) {
            return length;
        }
        request.body(ctx.alloc(), data.retain(), endStream, deliver);
        if (!waiting) {
            exchange.readComplete();
        }
        if (reading) {
            return length;
        }
        unconsumed += length;
        return 0;
    }

    /** The trailing header block, which ends the request. */
    void requestTrailers(Http2Headers headers) throws Http2Exception {
        if (refused || closing) {
            return;
        }
        ByteBuf end = request.trailers(ctx.alloc(), headers);
        if (end == null) {
            throw Http2Exception.streamError(stream.id(), Http2Error.PROTOCOL_ERROR,
                    "a trailer field holds a line break or NUL");
        }
        if (end.isReadable()) {
            deliver(end);
            if (!waiting) {
                exchange.readComplete();
            }
        }
    }

    /** A part of the request for the exchange, or to hold while it waits to start. */
    private void deliver(Object part) {
        if (waiting) {
            held.add((ByteBuf) part);
        } else {
            decode(part);
        }
    }

    /** HTTP/1.1 bytes of the request, decoded and handed to the exchange. */
    private void decode(Object part) {
        ByteBuf bytes = (ByteBuf) part;
        record.received(bytes.readableBytes());
        try {
            decoder.decodeDetached(bytes, decoded);
        } finally {
            bytes.release();
        }
        for (int i = 0; i < decoded.size(); i++) {
            exchange.received(decoded.get(i));
        }
        decoded.clear();
    }

    /**
     * Answers 400 here: a request without :method or :path has no HTTP/1.1 form, and a line break in a field would let
     * the client write HTTP/1.1 lines of its own.
     */
    private void refuse() {
        refused = true;
        Http2Headers headers = new DefaultHttp2Headers().status(HttpResponseStatus.BAD_REQUEST.codeAsText())
                .add(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        headers(headers, false);
        data(Unpooled.wrappedBuffer(BAD_REQUEST), true);
        flush();
    }

    /** The stream closed: the lane is free again if the exchange is complete, and ends with it otherwise. */
    void streamClosed() {
        stream = null;
        unconsumed = 0;
        if (ending) {
            return;
        }
        if (waiting) {
            // Reset before its exchange started: nothing was routed or connected, the lane is free at once.
            waiting = false;
            releaseHeld();
            front.laneIdle(this);
            return;
        }
        if (!closing && (refused || response.ended())) {
            front.laneIdle(this);
        } else {
            close(); // reset by the client, or cut off, in mid-exchange
        }
    }

    void writabilityChanged() {
        exchange.writabilityChanged();
    }

    private boolean streamWritable() {
        return stream != null && !ending && (stream.state() == Http2Stream.State.OPEN
                || stream.state() == Http2Stream.State.HALF_CLOSED_REMOTE);
    }

    // ResponseBridge.Frames: the answer's frames, on the stream being served.

    @Override
    public void headers(Http2Headers headers, boolean endStream) {
        ChannelFuture written = front.encoder().writeHeaders(ctx, stream.id(), headers, 0, endStream,
                ctx.newPromise());
        if (endStream) {
            endOfStream = written;
        }
    }

    @Override
    public void data(ByteBuf data, boolean endStream) {
        ChannelFuture written = front.encoder().writeData(ctx, stream.id(), data, 0, endStream, ctx.newPromise());
        if (endStream) {
            endOfStream = written;
        }
    }

    // Downstream: what the exchange writes and asks.

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public void write(Object msg) {
        if (!(msg instanceof ByteBuf bytes) || !streamWritable()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        record.sent(bytes.readableBytes());
        if (!response.write(ctx.alloc(), bytes, this)) {
            // Bytes the proxy wrote that are no HTTP/1.1 answer: nothing sensible can follow on this stream.
            close();
        }
    }

    @Override
    public void writeAndFlush(Object msg) {
        write(msg);
        flush();
    }

    @Override
    public void flush() {
        if (!ending) {
            front.flushConnection();
        }
    }

    @Override
    public void closeAfterWriting(Object lastMessage) {
        closing = true;
        write(lastMessage);
        flush();
        if (endOfStream == null || endOfStream.isDone()) {
            close();
        } else {
            endOfStream.addListener(f -> close());
        }
    }

    /**
     * Ends the lane: it leaves its connection, its stream is reset unless the answer ended it (then only the rest of
     * the request is declined), and the exchange ends as a closed connection's does, in a task of its own as for a
     * channel: the exchange may be the caller, in the middle of its own work.
     */
    @Override
    public void close() {
        closing = true;
        if (ending) {
            return;
        }
        ending = true;
        front.laneClosed(this);
        if (stream != null && stream.state() != Http2Stream.State.CLOSED) {
            Http2Error reason = response.ended() ? Http2Error.NO_ERROR : Http2Error.CANCEL;
            front.resetStream(ctx, stream.id(), reason.code(), ctx.newPromise());
            front.flushConnection();
        }
        ctx.executor().execute(this::end);
    }

    private void end() {
        releaseHeld();
        exchange.ended();
        exchange.detach();
        response.release();
    }

    private void releaseHeld() {
        ByteBuf part;
        while ((part = held.poll()) != null) {
            part.release();
        }
    }

    @Override
    public boolean isWritable() {
        return stream == null ? ctx.channel().isWritable() : front.encoder().flowController().isWritable(stream);
    }

    @Override
    public boolean reading() {
        return reading;
    }

    @Override
    public void reading(boolean read) {
        reading = read;
        if (read && unconsumed > 0 && stream != null) {
            int bytes = unconsumed;
            unconsumed = 0;
            try {
                if (front.decoder().flowController().consumeBytes(stream, bytes)) {
                    front.flushConnection();
                }
            } catch (Http2Exception e) {
                close();
            }
        }
    }

    /** HTTP/2 has no upgrades: the exchange never pauses the decoding for one. */
    @Override
    public void resumeDecoding() {
    }

    /** HTTP/2 has no upgrades; should the exchange ever switch protocols, the stream cannot follow. */
    @Override
    public void tunnel() {
        close();
    }
}
