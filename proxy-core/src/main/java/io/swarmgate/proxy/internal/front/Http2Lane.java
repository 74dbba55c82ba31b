package io.swarmgate.proxy.internal.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.exchange.Downstream;
import io.swarmgate.proxy.internal.exchange.ExchangeRecord;
import io.swarmgate.proxy.internal.exchange.LocalAnswer;
import io.swarmgate.proxy.internal.exchange.ResponseWriter;
import io.swarmgate.proxy.internal.http1.HttpError;
import io.swarmgate.proxy.internal.http2.Http2RequestHead;
import io.swarmgate.proxy.internal.http2.RequestBodyFraming;
import io.swarmgate.proxy.internal.io.ClientAddress;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Serves HTTP/2 streams, one at a time, through the proxy's exchange ({@link ClientRequests}), as a keep-alive
 * connection serves its requests: a stream's HEADERS are the exchange's request head as they are
 * ({@link Http2RequestHead}), its DATA the body, and the backend's response head becomes the stream's HEADERS
 * directly ({@link Http2ResponseWriter}), and the proxy's own short responses (errors, redirects) HEADERS and DATA
 * built from their fields ({@link LocalAnswer}). No channel per stream: a lane is a
 * handful of objects, reused for the connection's next stream once its stream has closed with the exchange complete.
 *
 * <p>The exchange's backpressure maps onto flow control: while it does not read, the stream's DATA is not counted as
 * consumed, so its window is not given back and the client stops; it is writable while the stream's window and the
 * connection take more.
 */
final class Http2Lane implements HeaderListStream, StreamAnswers.Frames {
    /** In {@link #held}: the DATA before it ended the stream. */
    private static final Object END_OF_STREAM = new Object();

    private final Http2Front front;
    private final ChannelHandlerContext ctx;
    private final ClientRequests exchange;
    private final ExchangeRecord record = new ExchangeRecord(ExchangeRecord.HTTP_2_0);
    private final Http2RequestHead request = new Http2RequestHead();
    private final RequestBodyFraming body = new RequestBodyFraming();
    /** Hands a part of the request, in its backend's framing, to the exchange. */
    private final Consumer<Object> deliver;
    /**
     * The request's head and frames that came while its exchange waited to start, in order: DATA's bytes (followed by
     * {@link #END_OF_STREAM} when they ended it) and trailing HEADERS, framed for the backend once the route is known.
     */
    private final ArrayDeque<Object> held = new ArrayDeque<>(4);
    /** The stream being served, or {@code null} between streams. */
    private Http2Stream stream;
    private boolean opened;
    /** The stream's request is a HEAD: the proxy's own responses to it have no body. */
    private boolean headRequest;
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
    /** The write that ends the stream's response. */
    private ChannelFuture endOfStream;
    /** The stream's response has ended. */
    private boolean responseEnded;
    /** The response in progress is a backend's, written by the exchange's {@link Http2ResponseWriter}. */
    private boolean backendResponse;
    /**
     * The response's last data so far, held until more comes, the read that brought it ends, or the response ends: a
     * body that ends in the same read as its last data ends the stream with it, not with a DATA frame of its own.
     */
    private ByteBuf lastData;

    Http2Lane(Http2Front front, ProxyContext context) {
        this.front = front;
        this.ctx = front.channelContext();
        this.exchange = new ClientRequests(context, front.client().secure(), false);
        this.deliver = exchange::received;
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
        responseEnded = false;
        backendResponse = false;
        if (!request.read(headers, endStream)) {
            refuse();
            return false;
        }
        record.received(request.size());
        HttpError error = request.error();
        headRequest = request.method() == HttpMethod.HEAD;
        waiting = true;
        held.add(error != null ? error : request);
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
        // The exchange routes the head first: an h2c route takes the body as frames, any other in HTTP/1.1 framing.
        exchange.received(held.poll());
        body.begin(request, deliver);
        Object part;
        while ((part = held.poll()) != null) {
            if (part instanceof ByteBuf data) {
                boolean ends = held.peek() == END_OF_STREAM;
                if (ends) {
                    held.poll();
                }
                body.data(ctx.alloc(), data, ends, deliver);
            } else if (!body.trailers(ctx.alloc(), (Http2Headers) part, deliver)) {
                close(); // a field the HTTP/1.1 backend could not be sent
                return;
            }
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
        record.received(data.readableBytes());
        if (waiting) {
            held.add(data.retain());
            if (endStream) {
                held.add(END_OF_STREAM);
            }
        } else {
            body.data(ctx.alloc(), data.retain(), endStream, deliver);
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
        if (waiting) {
            held.add(headers);
            return;
        }
        if (!body.trailers(ctx.alloc(), headers, deliver)) {
            throw Http2Exception.streamError(stream.id(), Http2Error.PROTOCOL_ERROR,
                    "a trailer field holds a line break or NUL");
        }
        exchange.readComplete();
    }

    /**
     * Answers 400 here: a request without :method or :path has no HTTP/1.1 form, and a line break in a field would let
     * the client write HTTP/1.1 lines of its own.
     */
    private void refuse() {
        refused = true;
        StreamAnswers.malformed(this);
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
        if (!closing && (refused || responseEnded)) {
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

    /** A backend's response head, or its trailer fields, from the exchange's writer. */
    @Override
    public void responseHead(Http2Headers headers, boolean endStream) {
        backendResponse = true;
        writeLastData();
        if (streamWritable() && !responseEnded) {
            headers(headers, endStream);
        }
    }

    /** A backend's response data from the exchange's writer; the last of it is held (see {@link #lastData}). */
    @Override
    public void responseData(ByteBuf data, boolean endStream) {
        if (!streamWritable() || responseEnded) {
            data.release();
            return;
        }
        record.sent(data.readableBytes());
        ByteBuf previous = lastData;
        lastData = null;
        if (!endStream) {
            if (previous != null) {
                data(previous, false);
            }
            lastData = data;
        } else if (previous != null && !data.isReadable()) {
            data.release();
            data(previous, true);
        } else {
            if (previous != null) {
                data(previous, false);
            }
            data(data, true);
        }
    }

    @Override
    public boolean altSvcDue() {
        return front.altSvcDue();
    }

    private void writeLastData() {
        ByteBuf held = lastData;
        if (held != null) {
            lastData = null;
            if (streamWritable() && !responseEnded) {
                data(held, false);
            } else {
                held.release();
            }
        }
    }

    // The response's frames, on the stream being served.

    @Override
    public void headers(Http2Headers headers, boolean endStream) {
        ended(front.encoder().writeHeaders(ctx, stream.id(), headers, 0, endStream, ctx.newPromise()), endStream);
    }

    @Override
    public void data(ByteBuf data, boolean endStream) {
        ended(front.encoder().writeData(ctx, stream.id(), data, 0, endStream, ctx.newPromise()), endStream);
    }

    private void ended(ChannelFuture written, boolean endStream) {
        if (endStream) {
            endOfStream = written;
            responseEnded = true;
        }
    }

    // Downstream: what the exchange writes and asks.

    @Override
    public ResponseWriter responseWriter() {
        return new Http2ResponseWriter(this);
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    /** The answer itself: {@link #write} turns it into frames. */
    @Override
    public Object localAnswer(LocalAnswer answer, boolean keepAlive) {
        return answer;
    }

    /**
     * The proxy's own response ({@link #localAnswer}) as HEADERS and DATA; a backend's response is written by the
     * exchange's writer, which leaves only an empty last part to write here.
     */
    @Override
    public void write(Object msg) {
        if (!(msg instanceof LocalAnswer answer)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (streamWritable() && !backendResponse && !responseEnded) {
            StreamAnswers.write(answer, headRequest, record, ctx.alloc(), this);
        }
    }

    @Override
    public void writeAndFlush(Object msg) {
        write(msg);
        flush();
    }

    @Override
    public void flush() {
        writeLastData();
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
     * Ends the lane: it leaves its connection, its stream is reset unless the response ended it (then only the rest of
     * the request is declined), and the exchange ends as a closed connection's does, in a task of its own as for a
     * channel: the exchange may be the caller, in the middle of its own work.
     */
    @Override
    public void close() {
        closing = true;
        if (ending) {
            return;
        }
        if (!responseEnded && streamWritable()) {
            // A backend that failed mid-response: what it sent goes out ahead of the reset, which drops queued DATA.
            writeLastData();
            front.writeQueued();
        }
        ending = true;
        front.laneClosed(this);
        if (stream != null && stream.state() != Http2Stream.State.CLOSED) {
            Http2Error reason = responseEnded ? Http2Error.NO_ERROR : Http2Error.CANCEL;
            front.resetStream(ctx, stream.id(), reason.code(), ctx.newPromise());
            front.flushConnection();
        }
        ctx.executor().execute(this::end);
    }

    private void end() {
        releaseHeld();
        if (lastData != null) {
            lastData.release();
            lastData = null;
        }
        exchange.ended();
        exchange.detach();
    }

    private void releaseHeld() {
        Object part;
        while ((part = held.poll()) != null) {
            ReferenceCountUtil.release(part);
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
