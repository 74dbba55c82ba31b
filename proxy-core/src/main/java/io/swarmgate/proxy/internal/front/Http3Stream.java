package io.swarmgate.proxy.internal.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.exchange.ExchangeRecord;
import io.swarmgate.proxy.internal.exchange.LocalAnswer;
import io.swarmgate.proxy.internal.exchange.ResponseWriter;
import io.swarmgate.proxy.internal.http1.HttpError;
import io.swarmgate.proxy.internal.http2.Http2RequestHead;
import io.swarmgate.proxy.internal.http2.RequestBodyFraming;
import io.swarmgate.proxy.internal.http3.Http3Fields;
import java.util.function.Consumer;

/**
 * Serves one HTTP/3 request stream through the proxy's exchange ({@link ClientRequests}), as an {@link Http2Lane}
 * serves an HTTP/2 stream: the HEADERS frame's field section, in HTTP/2's form, is the exchange's request head
 * ({@link Http2RequestHead}), DATA the body, and a backend's response head becomes HEADERS directly
 * ({@link Http2ResponseWriter}); the proxy's own short responses are HEADERS and DATA built from their fields
 * ({@link LocalAnswer}).
 * Netty gives each QUIC stream a channel, so a stream is a handler of its own, not a lane.
 *
 * <p>HTTP/3 does not say with the HEADERS frame whether a body follows: the exchange starts once that is known, when
 * the stream's FIN or first DATA arrives, or at the end of the read that brought the head if it declares a length.
 *
 * <p>Backpressure is QUIC's flow control: while the exchange does not read, the stream is not read, so its window is
 * not given back and the client stops; it is writable while the stream's send capacity lasts.
 */
final class Http3Stream extends Http3RequestStreamInboundHandler implements HeaderListStream, StreamAnswers.Frames {
    private final Http3Connection connection;
    private final ProxyContext context;
    private final ExchangeRecord record = new ExchangeRecord(ExchangeRecord.HTTP_3_0);
    private final Http2RequestHead request = new Http2RequestHead();
    private final RequestBodyFraming body = new RequestBodyFraming();
    private final Consumer<Object> deliver = this::deliver;
    private ChannelHandlerContext ctx;
    private QuicStreamChannel channel;
    private ClientRequests exchange;
    private boolean headRequest;
    /** The request's head, received and not yet handed to the exchange. */
    private Http2Headers head;
    private boolean started;
    /** The stream was answered here (a 400), without the exchange. */
    private boolean refused;
    /** The exchange ended the stream, or is about to. */
    private boolean closing;
    /** The stream's end is on its way (see {@link #close}). */
    private boolean ending;
    private boolean responseEnded;
    /** The response in progress is a backend's, written by the exchange's {@link Http2ResponseWriter}. */
    private boolean backendResponse;
    /** The response's last frame written so far. */
    private ChannelFuture lastWrite;
    /** The stream's FIN, which ends the response. */
    private ChannelFuture endOfStream;
    /** The exchange has ended and left the stream. */
    private boolean ended;

    Http3Stream(Http3Connection connection, ProxyContext context) {
        this.connection = connection;
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        channel = (QuicStreamChannel) ctx.channel();
        connection.streamOpened();
        exchange = new ClientRequests(context, true, false);
        record.client(connection.clientAddress());
        exchange.attach(this, record, connection.overLimit());
        // Times the head's arrival; over the connection limit, this answers the 503.
        exchange.opened(connection.client());
    }

    @Override
    protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
        if (refused || closing) {
            return;
        }
        Http2Headers fields = Http3Fields.toHttp2(frame.headers());
        if (!started && head == null) {
            head = fields;
            return;
        }
        if (!started) {
            start(false);
        }
        if (!refused && !closing && !body.trailers(ctx.alloc(), fields, deliver)) {
            close(); // a trailer field holds a line break or NUL
        }
    }

    @Override
    protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
        if (!started && head != null) {
            start(false);
        }
        if (!started || refused || closing) {
            frame.release();
            return;
        }
        ByteBuf data = frame.content();
        record.received(data.readableBytes());
        body.data(ctx.alloc(), data, false, deliver);
    }

    /** The read's frames are handed on: a head that declares its body's length starts now. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (head != null && (channel.isInputShutdown() || head.contains(HttpHeaderNames.CONTENT_LENGTH))) {
            start(channel.isInputShutdown());
        }
        if (started && !closing) {
            exchange.readComplete();
        }
        ctx.fireChannelReadComplete();
    }

    /** The client's FIN: the request is complete. */
    @Override
    protected void channelInputClosed(ChannelHandlerContext ctx) {
        if (head != null) {
            start(true);
        } else if (!started) {
            close(); // no request on the stream at all
            return;
        }
        if (!refused && !closing) {
            body.data(ctx.alloc(), Unpooled.EMPTY_BUFFER, true, deliver);
            exchange.readComplete();
        }
    }

    /** Hands the head to the exchange; {@code endStream}: no body follows it. */
    private void start(boolean endStream) {
        Http2Headers fields = head;
        head = null;
        started = true;
        if (!request.read(fields, endStream)) {
            refuse();
            return;
        }
        record.received(request.size());
        headRequest = request.method() == HttpMethod.HEAD;
        HttpError error = request.error();
        exchange.received(error != null ? error : request);
        body.begin(request, deliver);
    }

    private void deliver(Object part) {
        exchange.received(part);
    }

    /** Answers 400 here, as an HTTP/2 lane does: the request has no HTTP/1.1 form. */
    private void refuse() {
        refused = true;
        StreamAnswers.malformed(this);
        flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        exchange.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    /** A reset or a broken frame ends the stream; the connection goes on. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close();
    }

    /** The stream closed, finished or reset: the exchange ends with it (a no-op once complete). */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end();
        ctx.fireChannelInactive();
    }

    private boolean streamWritable() {
        return !ending && !responseEnded && channel.isActive() && !channel.isOutputShutdown();
    }

    @Override
    public void responseHead(Http2Headers headers, boolean endStream) {
        backendResponse = true;
        if (streamWritable()) {
            headers(headers, endStream);
        }
    }

    @Override
    public void responseData(ByteBuf data, boolean endStream) {
        if (!streamWritable()) {
            data.release();
            return;
        }
        record.sent(data.readableBytes());
        data(data, endStream);
    }

    @Override
    public boolean altSvcDue() {
        return connection.altSvcDue();
    }

    // The response's frames.

    @Override
    public void headers(Http2Headers headers, boolean endStream) {
        lastWrite = ctx.write(new DefaultHttp3HeadersFrame(Http3Fields.toHttp3(headers)));
        ended(endStream);
    }

    @Override
    public void data(ByteBuf data, boolean endStream) {
        if (data.isReadable() || !endStream) {
            lastWrite = ctx.write(new DefaultHttp3DataFrame(data));
        } else {
            data.release();
        }
        ended(endStream);
    }

    /**
     * Ends the stream (FIN) once its last frame is written: the channel sends a FIN at once, behind only what QUIC's
     * flow control has taken, so one sent earlier would cut off what waits for the window.
     */
    private void ended(boolean endStream) {
        if (!endStream) {
            return;
        }
        responseEnded = true;
        ChannelPromise fin = ctx.newPromise();
        endOfStream = fin;
        ChannelFuture last = lastWrite;
        if (last == null || last.isDone()) {
            channel.shutdownOutput(fin);
        } else {
            last.addListener(written -> channel.shutdownOutput(fin));
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
        if (streamWritable() && !backendResponse) {
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
        if (!ending) {
            ctx.flush();
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
     * Ends the stream: a response that ended leaves only the rest of the request to decline (STOP_SENDING), one that
     * did not is reset both ways; the exchange ends as a closed connection's does, in a task of its own, since it may
     * be the caller.
     */
    @Override
    public void close() {
        closing = true;
        if (ending) {
            return;
        }
        ending = true;
        if (channel.isActive()) {
            if (!responseEnded) {
                channel.shutdown(Http3ErrorCode.H3_REQUEST_CANCELLED.code());
            } else if (!channel.isInputShutdown()) {
                channel.shutdownInput(Http3ErrorCode.H3_NO_ERROR.code());
            }
        }
        ctx.executor().execute(this::end);
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        closing = true;
        ending = true;
        head = null;
        exchange.ended();
        exchange.detach();
        if (!responseEnded) {
            connection.streamReset();
        }
        connection.streamClosed();
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public boolean reading() {
        return channel.config().isAutoRead();
    }

    @Override
    public void reading(boolean read) {
        channel.config().setAutoRead(read);
    }

    /** HTTP/3 has no upgrades: the exchange never pauses the decoding for one. */
    @Override
    public void resumeDecoding() {
    }

    /** HTTP/3 has no upgrades; should the exchange ever switch protocols, the stream cannot follow. */
    @Override
    public void tunnel() {
        close();
    }
}
