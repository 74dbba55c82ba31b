package io.swarmgate.proxy.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.swarmgate.proxy.route.Backend;
import io.swarmgate.proxy.route.Route;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client connection and the exchange in progress on it: routes each request, relays it to a pooled backend
 * connection of the same event loop, and relays the answer back.
 *
 * <p>Backpressure: the client is read only while the backend connection can take the request body, and the backend
 * only while the client connection can take the answer, so a slow reader on either side holds at most a read buffer
 * and the socket buffers in the proxy. Reading is switched off only when a side is actually unwritable: toggling it
 * for every request would cost two epoll_ctl calls per read. Requests are served one at a time per connection;
 * pipelined requests wait in {@link #pending}, which stops the reading when it holds too much.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter implements SlotArray.Member {
    private final ProxyContext context;
    /** Past this many queued messages or body bytes the client is not read until the queue drains. */
    private static final int MAX_PENDING_MESSAGES = 32;
    private static final int MAX_PENDING_BYTES = 64 * 1024;
    private static final long DRAIN_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ArrayDeque<HttpObject> pending = new ArrayDeque<>(4);
    private int pendingBytes;
    private ChannelHandlerContext ctx;
    private ClientConnection client;
    private LoopState loop;
    private BackendPool pool;
    /** This connection's place among its loop's client connections. */
    private int slot = -1;
    private Deadline deadline;
    private boolean closed;
    private boolean decodedSinceReadComplete;

    /** Where the connection is between requests; decides what an expired deadline means. */
    private enum Phase { AWAITING_REQUEST, RECEIVING_HEAD, EXCHANGE, DISCARDING_BODY }

    private Phase phase = Phase.AWAITING_REQUEST;

    // The exchange in progress (valid while phase == EXCHANGE).
    private HttpRequest request;
    private HttpVersion clientVersion;
    private boolean clientKeepAlive;
    private Backend target;
    private BackendHandler backend;
    private boolean reusedConnection;
    private boolean retried;
    private boolean requestComplete;
    private boolean expectsBody;
    private boolean bodySent;
    private boolean informational;
    private boolean responseStarted;
    private boolean responseKeepAlive;
    private boolean backendUnflushed;
    // What the observer is told when the exchange ends.
    private Route route;
    private HttpMethod method;
    private long startNanos;
    private int status;
    private boolean observed;

    FrontendHandler(ProxyContext context) {
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        loop = context.loop(ctx.channel().eventLoop());
        pool = loop.pool();
        deadline = new Deadline(loop.timers(), this::onDeadline);
        loop.clients().add(this);
        context.clientOpened();
    }

    @Override
    public int slot() {
        return slot;
    }

    @Override
    public void slot(int slot) {
        this.slot = slot;
    }

    /** Runs however the channel ends. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel();
        loop.clients().remove(this);
        context.clientClosed();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        context.observer.connectionOpened();
        client = new ClientConnection(ctx.channel());
        deadline.arm(context.httpRequestTimeoutNanos);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        decodedSinceReadComplete = true;
        if (msg instanceof HttpContent content) {
            pendingBytes += content.content().readableBytes();
        }
        pending.add((HttpObject) msg);
        processPending();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (closed) {
            return;
        }
        if (phase == Phase.EXCHANGE) {
            if (!requestComplete) {
                deadline.arm(context.clientTimeoutNanos);
            }
            if (backend != null && backendUnflushed) {
                backendUnflushed = false;
                backend.flush();
                backend.touch();
            }
        } else if (phase == Phase.AWAITING_REQUEST && !decodedSinceReadComplete) {
            // Bytes that decoded into nothing are the start of a request: its head must now arrive in time.
            phase = Phase.RECEIVING_HEAD;
            deadline.arm(context.httpRequestTimeoutNanos);
        }
        decodedSinceReadComplete = false;
        updateReading();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (backend != null) {
            backend.reading(ctx.channel().isWritable());
        }
    }

    /**
     * The server is stopping: a busy connection closes after its current answer, an idle one after a short window in
     * which a request already on its way can still arrive and be served. Closing idle connections at once would
     * lose such requests, which the client sent before the server began to stop.
     */
    void drain() {
        if (phase == Phase.AWAITING_REQUEST && !closed) {
            deadline.arm(DRAIN_WINDOW_NANOS);
        }
    }

    /** The grace period is over. */
    void close() {
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (phase == Phase.EXCHANGE) {
            observeEnd(0); // cut off before a complete answer
        }
        context.observer.connectionClosed();
        closed = true;
        releasePending();
        if (backend != null) {
            // Mid-exchange the backend connection is in an unknown state: it cannot go back to the pool.
            backend.close();
            backend = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a failed write: nothing can be answered on this connection any more.
        ctx.close();
    }

    private HttpObject takePending() {
        HttpObject msg = pending.poll();
        if (msg instanceof HttpContent content) {
            pendingBytes -= content.content().readableBytes();
        }
        return msg;
    }

    /** Handles queued messages in order: a request starts an exchange, body parts follow it to the backend. */
    private void processPending() {
        HttpObject msg;
        while (!closed && (msg = pending.peek()) != null) {
            if (msg instanceof HttpRequest) {
                if (phase == Phase.EXCHANGE || phase == Phase.DISCARDING_BODY) {
                    return;
                }
                takePending();
                startExchange((HttpRequest) msg);
            } else if (phase == Phase.DISCARDING_BODY) {
                // The end of a bodiless request that was already answered with an error.
                takePending();
                ReferenceCountUtil.release(msg);
                if (msg instanceof LastHttpContent) {
                    endExchange();
                }
            } else if (phase != Phase.EXCHANGE) {
                // The rest of a body whose request was already answered (and the connection is closing).
                takePending();
                ReferenceCountUtil.release(msg);
            } else if (backend == null) {
                return;
            } else {
                takePending();
                forwardBody((HttpContent) msg);
            }
        }
    }

    /** Reads the client while the current state can use what it sends, and the queue is not too full. */
    private void updateReading() {
        if (closed) {
            return;
        }
        boolean bodyBlocked = phase == Phase.EXCHANGE && backend != null && !requestComplete && !backend.isWritable();
        boolean read = !bodyBlocked && pending.size() < MAX_PENDING_MESSAGES && pendingBytes < MAX_PENDING_BYTES;
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    private void startExchange(HttpRequest req) {
        phase = Phase.EXCHANGE;
        startNanos = System.nanoTime();
        method = req.method();
        route = null;
        status = 0;
        observed = false;
        deadline.arm(context.clientTimeoutNanos);
        request = req;
        clientVersion = req.protocolVersion();
        clientKeepAlive = HttpUtil.isKeepAlive(req) && !context.draining();
        backend = null;
        reusedConnection = false;
        retried = false;
        requestComplete = false;
        expectsBody = false;
        bodySent = false;
        informational = false;
        responseStarted = false;

        DecoderResult result = req.decoderResult();
        if (result.isFailure()) {
            ReferenceCountUtil.release(req);
            respondWithError(errorFor(result.cause()), true);
            return;
        }
        expectsBody = HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
        List<String> hosts = req.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1 || (hosts.isEmpty() && clientVersion != HttpVersion.HTTP_1_0)) {
            respondWithError(ErrorResponses.NO_HOST, true);
            return;
        }
        String host = hosts.isEmpty() ? null : hosts.get(0);
        String uri = RequestTargets.originForm(req.uri());
        if (uri == null) {
            respondWithError(ErrorResponses.BAD_REQUEST, true);
            return;
        }
        if (!uri.equals(req.uri())) {
            req.setUri(uri);
        }
        route = context.routes().find(host, uri, client.localPort());
        if (route == null) {
            respondWithError(ErrorResponses.NO_ROUTE, false);
            return;
        }
        target = route.backend();
        ProxyHeaders.toBackendRequest(req, host, client);
        BackendHandler idle = pool.pollIdle(target);
        if (idle != null) {
            onBackendConnected(idle, true);
        } else {
            pool.connect(target, this);
        }
    }

    void onBackendConnected(BackendHandler connection, boolean reused) {
        if (closed || phase != Phase.EXCHANGE || backend != null) {
            // The client left (or the exchange ended) while connecting: the fresh connection is clean, keep it.
            pool.release(connection);
            return;
        }
        backend = connection;
        reusedConnection = reused;
        connection.bind(this);
        connection.write(request);
        if (retried) {
            connection.write(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        processPending();
        if (backend != null) {
            backendUnflushed = false;
            backend.flush();
        }
        updateReading();
    }

    void onBackendConnectFailed(Throwable cause) {
        if (!closed && phase == Phase.EXCHANGE && backend == null) {
            respondWithError(ErrorResponses.NO_SERVER, false);
        }
    }

    private void forwardBody(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            ReferenceCountUtil.release(content);
            abortOrRespond(ErrorResponses.BAD_REQUEST);
            return;
        }
        if (content.content().isReadable()) {
            bodySent = true;
        }
        boolean last = content instanceof LastHttpContent;
        backend.write(content);
        backendUnflushed = true;
        if (last) {
            requestComplete = true;
            // From here the client only waits: the backend's timeout applies, not the client's.
            deadline.disarm();
        }
    }

    void onBackendMessage(BackendHandler from, Object msg) {
        if (from != backend) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            onResponseHead(response);
        }
        if (msg instanceof HttpContent content && backend == from) {
            onResponseContent(content);
        }
    }

    private void onResponseHead(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            ReferenceCountUtil.release(response);
            backendFailed(ErrorResponses.BAD_GATEWAY);
            return;
        }
        if (response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            // 100 Continue and friends go to the client as they are; the final response follows.
            informational = true;
            ctx.write(response, ctx.voidPromise());
            return;
        }
        responseStarted = true;
        status = response.status().code();
        responseKeepAlive = HttpUtil.isKeepAlive(response);
        clientKeepAlive = ProxyHeaders.toClientResponse(response, clientVersion, clientKeepAlive && !context.draining());
        ctx.write(response, ctx.voidPromise());
    }

    private void onResponseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (informational) {
            ctx.write(content, ctx.voidPromise());
            informational = !last;
            return;
        }
        if (content.decoderResult().isFailure()) {
            ReferenceCountUtil.release(content);
            backendFailed(ErrorResponses.BAD_GATEWAY);
            return;
        }
        if (last) {
            onResponseComplete(content);
        } else {
            ctx.write(content, ctx.voidPromise());
        }
    }

    void onBackendReadComplete(BackendHandler from) {
        if (from != backend || closed) {
            return;
        }
        ctx.flush();
        deadline.arm(context.clientTimeoutNanos);
        if (!ctx.channel().isWritable()) {
            from.reading(false);
        }
    }

    void onBackendWritable() {
        updateReading();
    }

    /** Writes the answer's last part and ends the exchange: the connection is kept or closed after it. */
    private void onResponseComplete(HttpContent lastPart) {
        observeEnd(status);
        BackendHandler finished = backend;
        backend = null;
        boolean requestWasComplete = requestComplete;
        if (requestWasComplete && responseKeepAlive) {
            finished.unbind();
            pool.release(finished);
        } else {
            finished.close();
        }
        if (!requestWasComplete || !clientKeepAlive) {
            // The backend answered before the whole body arrived, or the client asked to close: end the connection.
            closeAfterWriting(lastPart);
            return;
        }
        ctx.writeAndFlush(lastPart, ctx.voidPromise());
        endExchange();
    }

    private void endExchange() {
        phase = Phase.AWAITING_REQUEST;
        request = null;
        target = null;
        if (context.draining()) {
            closeAfterFlush();
            return;
        }
        deadline.arm(context.keepAliveTimeoutNanos);
        processPending();
        updateReading();
    }

    void onBackendClosed(BackendHandler from) {
        if (from != backend) {
            return;
        }
        backend = null;
        if (!responseStarted && reusedConnection && !retried && requestComplete && !bodySent) {
            // A pooled connection the backend had closed while idle: nothing was processed, so try a new one once.
            retried = true;
            pool.connect(target, this);
            return;
        }
        backendFailed(ErrorResponses.BAD_GATEWAY);
    }

    void onBackendTimeout(BackendHandler from) {
        if (from == backend) {
            backendFailed(ErrorResponses.GATEWAY_TIMEOUT);
        }
    }

    /** The backend connection broke: answer with an error if nothing was sent yet, else cut the client off. */
    private void backendFailed(ErrorResponses error) {
        if (backend != null) {
            backend.close();
            backend = null;
        }
        if (responseStarted) {
            ctx.close();
        } else {
            respondWithError(error, false);
        }
    }

    private void abortOrRespond(ErrorResponses error) {
        if (responseStarted) {
            ctx.close();
        } else {
            respondWithError(error, true);
        }
    }

    /**
     * Ends the exchange with a short error. The connection stays open when neither side needs it closed and the
     * request has no body still to come; a request whose body would have to be read and dropped closes it instead.
     */
    private void respondWithError(ErrorResponses error, boolean mustClose) {
        if (backend != null) {
            backend.close();
            backend = null;
        }
        boolean keepAlive = !mustClose && clientKeepAlive && (requestComplete || !expectsBody);
        observeEnd(error.code());
        ctx.writeAndFlush(error.newResponse(keepAlive));
        if (!keepAlive) {
            closeAfterFlush();
        } else if (requestComplete) {
            endExchange();
        } else {
            phase = Phase.DISCARDING_BODY;
            processPending();
            updateReading();
        }
    }

    private void closeAfterFlush() {
        // An empty write completes after everything written before it, so the close loses nothing.
        closeAfterWriting(Unpooled.EMPTY_BUFFER);
    }

    /** Writes the connection's last message and closes it once that is written. */
    private void closeAfterWriting(Object lastMessage) {
        closed = true;
        deadline.cancel();
        releasePending();
        ctx.writeAndFlush(lastMessage).addListener(ChannelFutureListener.CLOSE);
    }

    private void onDeadline() {
        if (closed) {
            return;
        }
        switch (phase) {
            case AWAITING_REQUEST -> ctx.close();
            case RECEIVING_HEAD -> {
                phase = Phase.EXCHANGE;
                observed = true; // a head that never arrived is no exchange to report
                clientKeepAlive = false;
                respondWithError(ErrorResponses.REQUEST_TIMEOUT, true);
            }
            case EXCHANGE -> {
                if (!responseStarted && !requestComplete) {
                    respondWithError(ErrorResponses.REQUEST_TIMEOUT, true);
                } else {
                    ctx.close();
                }
            }
        }
    }

    private void observeEnd(int sentStatus) {
        if (!observed) {
            observed = true;
            context.observer.exchangeCompleted(route, method, sentStatus, System.nanoTime() - startNanos);
        }
    }

    private void releasePending() {
        HttpObject msg;
        while ((msg = takePending()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    private static ErrorResponses errorFor(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return ErrorResponses.URI_TOO_LONG;
        }
        if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
            return ErrorResponses.HEADERS_TOO_LARGE;
        }
        return ErrorResponses.BAD_REQUEST;
    }
}
