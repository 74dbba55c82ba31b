package io.swarmgate.proxy.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.ReferenceCountUtil;
import io.swarmgate.proxy.FailureReason;
import io.swarmgate.proxy.internal.head.ClientRequestHead;
import io.swarmgate.proxy.internal.http1.HttpError;
import io.swarmgate.proxy.internal.http1.MessageEnd;
import io.swarmgate.proxy.internal.http1.RequestDecoder;
import io.swarmgate.proxy.internal.http1.ResponseHead;
import io.swarmgate.proxy.internal.http1.Trailers;
import io.swarmgate.proxy.policy.LocalResponse;
import io.swarmgate.proxy.policy.PolicyResult;
import io.swarmgate.proxy.policy.RetryPolicy;
import io.swarmgate.proxy.route.ConnectionMode;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.upstream.Backend;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One client connection and the exchange in progress on it: routes each request, relays it to a pooled backend
 * connection of the same event loop, and relays the answer back. The client's end is a {@link Downstream}: an HTTP/1.1
 * connection, where this is the last handler of its pipeline, or an {@link Http2Lane}, which serves HTTP/2 streams
 * through it one after another. Messages arrive from the decoders as raw heads and
 * body slices ({@link io.swarmgate.proxy.internal.http1}); heads are rewritten once, bodies pass through untouched
 * unless the two connections frame them differently.
 *
 * <p>Backpressure: the client is read only while the backend connection can take the request body, and the backend
 * only while the client connection can take the answer, so a slow reader on either side holds at most a read buffer
 * and the socket buffers in the proxy. Reading is switched off only when a side is actually unwritable: toggling it
 * for every request would cost two epoll_ctl calls per read. Requests are served one at a time per connection;
 * pipelined requests wait in {@link #pending}, which stops the reading when it holds too much.
 *
 * <p>This class is the exchange's state machine. It hands the writing of the answer to {@link ResponseWriter}, what
 * is kept of the request for a resend to {@link RequestReplay}, the route's policies and the head they shape to
 * {@link RequestForwarding}, and the choice of a task with its health bookkeeping to {@link TaskChoice}: one of each
 * per connection, reused for each exchange. Whether a failed attempt is tried again is the route's
 * {@link RetryPolicy}'s decision.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter
        implements ClientExchange, BackendExchange, RetryPolicy.FailedAttempt {
    private final ProxyContext context;
    /** Whether the connection came over TLS. */
    private final boolean secure;
    /** Past this many queued messages or body bytes the client is not read until the queue drains. */
    private static final int MAX_PENDING_MESSAGES = 32;
    private static final int MAX_PENDING_BYTES = 64 * 1024;
    private static final long DRAIN_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** DFP's timeout tunnel: an upgraded connection may stay silent this long. */
    private static final long DEFAULT_TUNNEL_TIMEOUT_NANOS = TimeUnit.HOURS.toNanos(1);
    /** Reported as the method of a request whose head could not be read. */
    private static final HttpMethod UNREADABLE = HttpMethod.valueOf("UNREADABLE");

    private final ArrayDeque<Object> pending = new ArrayDeque<>(4);
    private int pendingBytes;
    /** What is kept of the request in progress for a resend. */
    private final RequestReplay replay;
    /** Runs the route's policies over a request and encodes the head its backend gets. */
    private final RequestForwarding forwarding = new RequestForwarding();
    /** The client's end: an HTTP/1.1 connection, or an HTTP/2 stream's lane. */
    private Downstream downstream;
    /** Writes the backend's answer to the client. */
    private ResponseWriter writer;
    /** The task the request is on, when its backend balances tasks. */
    private TaskChoice taskChoice;
    private ClientConnection client;
    private LoopState loop;
    private BackendPool pool;
    /** This connection's place among its loop's client connections. */
    private int slot = -1;
    private Deadline deadline;
    private boolean closed;
    private boolean decodedSinceReadComplete;
    /** Accepted while the server already had its maximum of client connections. */
    private boolean overLimit;
    /** The client's end is a connection of its own (HTTP/1.1), counted here; not an HTTP/2 lane. */
    private boolean ownConnection;

    /** Where the connection is between requests; decides what an expired deadline means. */
    private enum Phase { AWAITING_REQUEST, RECEIVING_HEAD, EXCHANGE, DISCARDING_BODY }

    private Phase phase = Phase.AWAITING_REQUEST;

    // The exchange in progress (valid while phase == EXCHANGE).
    private boolean headRequest;
    /** The request's HTTP/1.x minor version, which its answer follows. */
    private int clientMinorVersion;
    private boolean clientKeepAlive;
    private Backend target;
    private BackendHandler backend;
    private boolean reusedConnection;
    /** Backend connections tried for this request; the route's {@link RetryPolicy} bounds them. */
    private int attempts;
    /** The task the retry policy ejected after the failed attempt: a retry avoids it. */
    private Endpoint ejected;
    /** Numbers exchanges, so that a callback for one that has ended (a late connect, a lookup) is recognised. */
    private int exchange;
    private boolean requestComplete;
    private boolean expectsBody;
    private boolean responseStarted;
    private long serverTimeoutNanos;
    private boolean backendUnflushed;
    /** The request asked for a protocol upgrade; the decoder waits for the answer before reading on. */
    private boolean upgradeRequested;
    /** The protocols of the upgrade relayed to the backend, or {@code null} when the request goes on as HTTP. */
    private String upgradeRelayed;
    /** The upgrade happened: the exchange is now a two-way byte relay. */
    private boolean tunnel;
    private long tunnelTimeoutNanos;
    // What the observer is told when the exchange ends.
    private Route route;
    private long startNanos;
    private int status;
    private boolean observed;
    private ExchangeRecord record;
    /** The body limit a policy set (0: none), and the body bytes received so far, chunk framing included. */
    private long bodyLimit;
    private long bodyBytes;

    FrontendHandler(ProxyContext context, boolean secure) {
        this.context = context;
        this.secure = secure;
        this.replay = new RequestReplay(context.retryBufferBytes);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ownConnection = true;
        attach(new ChannelDownstream(ctx, ctx.pipeline().get(RequestDecoder.class)),
                ctx.pipeline().get(ExchangeRecord.class), !context.clientOpened());
    }

    /**
     * Joins a client's end; {@code record} counts its bytes. An HTTP/2 lane's connection is counted, and reported to
     * the observer, by the connection's handler, and said to be over the limit by it.
     */
    void attach(Downstream client, ExchangeRecord exchangeRecord, boolean overConnectionLimit) {
        downstream = client;
        writer = client.responseWriter();
        taskChoice = new TaskChoice(context, client.eventLoop());
        record = exchangeRecord;
        loop = context.loop(client.eventLoop());
        pool = loop.pool();
        deadline = new Deadline(loop.timers(), this::onDeadline);
        loop.clients().add(this);
        overLimit = overConnectionLimit;
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
        detach();
    }

    /** The client's end is gone for good (after {@link #ended}). */
    void detach() {
        deadline.cancel();
        loop.clients().remove(this);
        if (ownConnection) {
            context.clientClosed();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        opened(new ClientConnection(ctx.channel(), secure));
    }

    void opened(ClientConnection connection) {
        if (ownConnection) {
            context.observer.connectionOpened();
        }
        client = connection;
        if (overLimit) {
            // Beyond maxConnections: say why, rather than leaving the client to guess from a reset.
            downstream.reading(false);
            closeAfterWriting(ErrorResponses.TOO_MANY_CONNECTIONS.response(false));
            return;
        }
        deadline.arm(context.httpRequestTimeoutNanos);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received(msg);
    }

    /** A decoded part of a request: a head, body bytes, the end, or an error. */
    void received(Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        decodedSinceReadComplete = true;
        if (msg instanceof ByteBuf body) {
            pendingBytes += body.readableBytes();
        }
        pending.add(msg);
        processPending();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readComplete();
    }

    /** What the client sent has been handed on: flush it to the backend, time what comes next. */
    void readComplete() {
        if (closed) {
            return;
        }
        if (phase == Phase.EXCHANGE) {
            if (tunnel) {
                deadline.arm(tunnelTimeoutNanos);
            } else if (!requestComplete) {
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
        writabilityChanged();
    }

    void writabilityChanged() {
        if (backend != null) {
            backend.reading(downstream.isWritable());
        }
    }

    /**
     * The server is stopping: a busy connection closes after its current answer, an idle one after a short window in
     * which a request already on its way can still arrive and be served. Closing idle connections at once would
     * lose such requests, which the client sent before the server began to stop.
     */
    @Override
    public void drain() {
        if (phase == Phase.AWAITING_REQUEST && !closed) {
            deadline.arm(DRAIN_WINDOW_NANOS);
        }
    }

    /** The grace period is over. */
    @Override
    public void close() {
        downstream.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ended();
    }

    /** The client's end closed, or was reset: whatever is in progress is abandoned. */
    void ended() {
        if (phase == Phase.EXCHANGE) {
            observeEnd(0); // cut off before a complete answer
        }
        if (ownConnection) {
            context.observer.connectionClosed();
        }
        closed = true;
        taskChoice.end();
        writer.discard();
        releasePending();
        replay.release();
        forwarding.release();
        if (backend != null) {
            // Mid-exchange the backend connection is in an unknown state: it cannot go back to the pool.
            backend.close();
            backend = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a failed write: nothing can be answered on this connection any more.
        downstream.close();
    }

    private Object takePending() {
        Object msg = pending.poll();
        if (msg instanceof ByteBuf body) {
            pendingBytes -= body.readableBytes();
        }
        return msg;
    }

    /** Handles queued messages in order: a head starts an exchange, body parts follow it to the backend. */
    private void processPending() {
        Object msg;
        while (!closed && (msg = pending.peek()) != null) {
            boolean busy = phase == Phase.EXCHANGE || phase == Phase.DISCARDING_BODY;
            boolean inBody = (phase == Phase.EXCHANGE && !requestComplete) || phase == Phase.DISCARDING_BODY;
            if (msg instanceof HttpError error) {
                if (busy && !inBody) {
                    return; // the next request is malformed: answer it after the current one
                }
                takePending();
                if (phase == Phase.DISCARDING_BODY) {
                    closeAfterFlush();
                } else if (inBody) {
                    abortOrRespond(ErrorResponses.BAD_REQUEST);
                } else {
                    startUnreadableExchange(error);
                }
            } else if (msg instanceof ClientRequestHead head) {
                if (busy) {
                    return;
                }
                takePending();
                startExchange(head);
            } else if (phase == Phase.DISCARDING_BODY) {
                // The body of a request that was already answered with an error.
                takePending();
                ReferenceCountUtil.release(msg);
                if (msg == MessageEnd.INSTANCE) {
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
                forwardBody(msg);
            }
        }
    }

    /** Reads the client while the current state can use what it sends, and the queue is not too full. */
    private void updateReading() {
        if (closed) {
            return;
        }
        boolean bodyBlocked = phase == Phase.EXCHANGE && backend != null && (!requestComplete || tunnel)
                && !backend.isWritable();
        boolean read = !bodyBlocked && pending.size() < MAX_PENDING_MESSAGES && pendingBytes < MAX_PENDING_BYTES;
        if (downstream.reading() != read) {
            downstream.reading(read);
        }
    }

    private void beginExchange(HttpMethod requestMethod) {
        phase = Phase.EXCHANGE;
        startNanos = System.nanoTime();
        record.begin(requestMethod);
        replay.begin(requestMethod);
        route = null;
        status = 0;
        observed = false;
        deadline.arm(context.clientTimeoutNanos);
        backend = null;
        exchange++;
        taskChoice.end();
        reusedConnection = false;
        attempts = 0;
        requestComplete = false;
        expectsBody = false;
        responseStarted = false;
        tunnel = false;
        upgradeRequested = false;
        upgradeRelayed = null;
        bodyLimit = 0;
    }

    /** A head the decoder could not read: answer the error it names and close. */
    private void startUnreadableExchange(HttpError error) {
        beginExchange(UNREADABLE);
        clientKeepAlive = false;
        respondWithError(errorFor(error), true);
    }

    private void startExchange(ClientRequestHead head) {
        try {
            beginExchange(head.method());
            int clientMinor = head.versionMinor();
            record.request(head.target(), clientMinor);
            headRequest = head.method() == HttpMethod.HEAD;
            upgradeRequested = head.upgrade();
            clientKeepAlive = head.keepAlive() && !context.draining();
            expectsBody = head.hasBody();
            if (head.hosts() > 1 || (head.hosts() == 0 && clientMinor == 1)) {
                respondWithError(ErrorResponses.NO_HOST, true);
                return;
            }
            String sent = head.target();
            String origin = RequestTargets.originForm(sent);
            if (origin == null) {
                respondWithError(ErrorResponses.BAD_REQUEST, true);
                return;
            }
            // An absolute-form target's authority overrides Host (RFC 9112 §3.2.2): it routes and is sent as Host.
            String authority = RequestTargets.authority(sent);
            String host = authority != null ? authority : head.host();
            String uri = PathNormalizer.normalizeTarget(origin);
            if (uri == null) {
                respondWithError(ErrorResponses.AMBIGUOUS_PATH, false);
                return;
            }
            LocalResponse validation = secure ? null : context.challenges.http01Answer(uri);
            if (validation != null) {
                respondLocally(validation); // before routes and their redirects: the CA asks over plain HTTP
                return;
            }
            route = context.routes().find(host, uri, client.localPort(), head);
            if (route == null) {
                record.failure(FailureReason.NO_ROUTE);
                context.failures.noRoute(host, uri, client.localPort());
                respondWithError(ErrorResponses.NO_ROUTE, false);
                return;
            }
            upgradeRelayed = Upgrades.relayed(head, route.upgradeProtocols());
            bodyBytes = 0;
            target = route.backend();
            taskChoice.begin(route, head);
            clientMinorVersion = clientMinor;
            ByteBuf forwardedHead = forwarding.forward(route.policies(), downstream.eventLoop(), head, host, uri,
                    uri.equals(sent) ? null : uri, authority, upgradeRelayed, client, context.certificates(),
                    downstream.alloc());
            if (forwardedHead == null) {
                CompletionStage<PolicyResult> decision = forwarding.decision();
                if (decision != null) {
                    awaitPolicies(decision);
                } else {
                    respondLocally(forwarding.answer());
                }
                return;
            }
            forwardHead(forwardedHead);
        } finally {
            head.release();
        }
        connectBackend(null);
    }

    /** A policy decides later: the request waits, its body held back, until the decision comes on this loop. */
    private void awaitPolicies(CompletionStage<PolicyResult> decision) {
        int waiting = exchange;
        decision.whenComplete((decided, error) -> downstream.eventLoop().execute(() -> {
            if (waiting == exchange && !closed && phase == Phase.EXCHANGE && !responseStarted) {
                policiesDecided(error == null ? decided : null);
            }
        }));
    }

    private void policiesDecided(@Nullable PolicyResult decided) {
        if (decided == null) {
            forwarding.release();
            respondWithError(ErrorResponses.POLICY_FAILED, false);
            return;
        }
        ByteBuf forwardedHead = forwarding.resume(decided, downstream.alloc());
        if (forwardedHead == null) {
            respondLocally(forwarding.answer());
            return;
        }
        forwardHead(forwardedHead);
        connectBackend(null);
    }

    /**
     * The head goes out on the backend connection to come, with the body limit, timeouts and compression the policies
     * set, and the route's edits of the answer.
     */
    private void forwardHead(ByteBuf forwardedHead) {
        replay.head(forwardedHead);
        writer.begin(clientMinorVersion, forwarding.compression(), forwarding.compressionAlgorithm(),
                route.policies().responseEdits(secure));
        bodyLimit = forwarding.bodyLimit();
        serverTimeoutNanos = forwarding.backendTimeoutNanos(context.serverTimeoutNanos);
        tunnelTimeoutNanos = forwarding.tunnelTimeoutNanos(DEFAULT_TUNNEL_TIMEOUT_NANOS);
    }

    /**
     * Takes a pooled connection or opens one: to the backend's name, or to one of its tasks other than
     * {@code failed}. The first request to a task-balanced backend waits for its first lookup; later ones never wait.
     */
    private void connectBackend(Endpoint failed) {
        SocketAddress address = target.address();
        TaskGroup tasks = null;
        if (target.balancesTasks()) {
            tasks = context.tasks(target);
            if (!tasks.resolved()) {
                awaitFirstLookup(tasks, failed);
                return;
            }
            Endpoint endpoint = taskChoice.pick(tasks, failed);
            if (endpoint == null) {
                // No task, or none healthy: say so now rather than after a connect timeout.
                record.upstream(address);
                failWith(ErrorResponses.NO_SERVER, tasks.endpoints().length == 0
                        ? FailureReason.NO_TASK : FailureReason.TASKS_EJECTED, null);
                return;
            }
            address = endpoint.address();
        }
        attempts++;
        record.upstream(address);
        BackendHandler idle = pool.pollIdle(address, target.protocol());
        if (idle != null) {
            onBackendConnected(idle, true, exchange);
        } else {
            pool.connect(address, target.protocol(), target.host(), this, exchange,
                    taskChoice.connectTimeoutMillis(tasks));
        }
    }

    private void awaitFirstLookup(TaskGroup tasks, Endpoint failed) {
        int waiting = exchange;
        tasks.refresh(context.resolver(downstream.eventLoop()));
        tasks.firstResolution().whenComplete((ignored, error) -> downstream.eventLoop().execute(() -> {
            if (waiting == exchange && !closed && phase == Phase.EXCHANGE && backend == null) {
                connectBackend(failed);
            }
        }));
    }

    @Override
    public void onBackendConnected(BackendHandler connection, boolean reused, int forExchange) {
        if (closed || phase != Phase.EXCHANGE || backend != null || forExchange != exchange) {
            // The client left (or the exchange ended) while connecting: the fresh connection is clean, keep it.
            pool.release(connection);
            return;
        }
        backend = connection;
        record.upstream(connection.address());
        reusedConnection = reused;
        connection.endpoint(taskChoice.endpoint());
        connection.bind(this, serverTimeoutNanos);
        connection.expectResponse(headRequest, writer.plainBody(), upgradeRelayed != null);
        replay.writeTo(connection); // the head, and on a retry the body sent before
        if (requestComplete) {
            connection.requestSent(); // a retry of a whole request
        }
        processPending();
        if (backend != null) {
            backendUnflushed = false;
            backend.flush();
        }
        updateReading();
    }

    @Override
    public void onBackendConnectFailed(int forExchange, Throwable cause) {
        if (closed || phase != Phase.EXCHANGE || backend != null || forExchange != exchange) {
            return;
        }
        if (!retried(RetryPolicy.Failure.CONNECT_FAILED)) {
            failWith(ErrorResponses.NO_SERVER, FailureLog.ofConnect(cause), cause);
        }
    }

    private void forwardBody(Object part) {
        if (part == MessageEnd.INSTANCE) {
            requestComplete = true;
            backend.requestSent();
            // From here the client only waits: the backend's timeout applies, not the client's.
            deadline.disarm();
            return;
        }
        ByteBuf body = (ByteBuf) part;
        if (bodyLimit > 0 && (bodyBytes += body.readableBytes()) > bodyLimit) {
            // A chunked body past the limit: the backend gets no more of it, the client its 413 if it is not answered.
            body.release();
            if (backend != null) {
                backend.close();
                backend = null;
            }
            abortOrRespond(ErrorResponses.BODY_TOO_LARGE);
            return;
        }
        if (body.isReadable()) {
            replay.bodySent(body);
        }
        backend.write(body);
        backendUnflushed = true;
    }

    @Override
    public void onBackendMessage(BackendHandler from, Object msg) {
        if (from != backend) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf body) {
            writer.body(body);
        } else if (msg instanceof ResponseHead head) {
            onResponseHead(head);
        } else if (msg instanceof Trailers trailers) {
            writer.trailers(trailers);
        } else if (msg == MessageEnd.INSTANCE) {
            onResponseComplete();
        } else {
            backendFailed(ErrorResponses.BAD_GATEWAY, FailureReason.BAD_RESPONSE);
        }
    }

    private void onResponseHead(ResponseHead response) {
        try {
            if (response.informational()) {
                writer.informational(response);
                return;
            }
            if (response.switchingProtocols() && !Upgrades.switchesToRelayed(response, upgradeRelayed)) {
                // A protocol the client did not ask for, or the route does not relay: the backend's end of the
                // connection no longer speaks HTTP, and the client's must not become a tunnel.
                backendFailed(ErrorResponses.BAD_GATEWAY, FailureReason.BAD_RESPONSE);
                return;
            }
            replay.release();
            taskChoice.succeeded();
            responseStarted = true;
            if (response.switchingProtocols()) {
                startTunnel(response);
                return;
            }
            status = response.status();
            ConnectionMode mode = route.connectionMode();
            // connectionMode: http-server-close closes the backend side only (see onResponseComplete), httpclose both.
            boolean keepAlive = clientKeepAlive && !context.draining() && mode != ConnectionMode.CLOSE;
            clientKeepAlive = writer.head(response, keepAlive, taskChoice.cookieUpdate());
        } finally {
            response.release();
        }
    }

    /**
     * The backend agreed to the upgrade (WebSocket, or a protocol the route relays): from now on both connections
     * carry the new protocol, relayed byte for byte, with the tunnel's idle timeout, until either side closes; neither
     * goes back to a pool.
     */
    private void startTunnel(ResponseHead response) {
        tunnel = true;
        status = response.status();
        clientKeepAlive = false;
        writer.tunnelHead(response);
        backend.timeout(tunnelTimeoutNanos);
        deadline.arm(tunnelTimeoutNanos);
        downstream.tunnel();
    }

    @Override
    public void onBackendReadComplete(BackendHandler from) {
        if (from != backend || closed) {
            return;
        }
        downstream.flush();
        deadline.arm(tunnel ? tunnelTimeoutNanos : context.clientTimeoutNanos);
        if (!downstream.isWritable()) {
            from.reading(false);
        }
    }

    @Override
    public void onBackendWritable() {
        updateReading();
    }

    /** Writes the answer's end and ends the exchange: the connection is kept or closed after it. */
    private void onResponseComplete() {
        taskChoice.end();
        ByteBuf lastPart = writer.end();
        observeEnd(status, lastPart.readableBytes());
        BackendHandler finished = backend;
        backend = null;
        if (route.connectionMode() == ConnectionMode.KEEP_ALIVE) {
            pool.release(finished); // which closes it unless the exchange ended cleanly on both sides
        } else {
            finished.close();
        }
        if (!requestComplete || !clientKeepAlive) {
            // The backend answered before the whole body arrived, or the client asked to close: end the connection.
            closeAfterWriting(lastPart);
            return;
        }
        downstream.writeAndFlush(lastPart);
        endExchange();
    }

    private void endExchange() {
        phase = Phase.AWAITING_REQUEST;
        replay.release();
        forwarding.release();
        target = null;
        if (upgradeRequested) {
            // The upgrade was refused: the client's next bytes are HTTP again.
            upgradeRequested = false;
            downstream.resumeDecoding();
        }
        if (context.draining()) {
            closeAfterFlush();
            return;
        }
        deadline.arm(context.keepAliveTimeoutNanos);
        processPending();
        updateReading();
    }

    @Override
    public void onBackendClosed(BackendHandler from) {
        if (from != backend) {
            return;
        }
        backend = null;
        if (!retried(RetryPolicy.Failure.CLOSED)) {
            backendFailed(ErrorResponses.BAD_GATEWAY, FailureReason.BACKEND_CLOSED);
        }
    }

    @Override
    public void onBackendTimeout(BackendHandler from) {
        if (from != backend) {
            return;
        }
        // A task that does not answer is an outlier like one that refuses connections: the policy ejects it.
        if (!retried(RetryPolicy.Failure.TIMED_OUT)) {
            backendFailed(ErrorResponses.GATEWAY_TIMEOUT, FailureReason.BACKEND_TIMEOUT);
        }
    }

    /** Asks the route's retry policy about the failed attempt, and tries again (avoiding a task it ejected) if so. */
    private boolean retried(RetryPolicy.Failure failure) {
        ejected = null;
        if (!route.policies().retries().retries(failure, this)) {
            return false;
        }
        if (backend != null) {
            backend.close();
            backend = null;
        }
        context.observer.requestRetried(route);
        connectBackend(ejected);
        return true;
    }

    @Override
    public int attempts() {
        return attempts;
    }

    @Override
    public boolean answerStarted() {
        return responseStarted;
    }

    @Override
    public boolean reusedIdleConnection() {
        return reusedConnection;
    }

    @Override
    public boolean requestSent() {
        return requestComplete;
    }

    @Override
    public boolean resendable() {
        return replay.resendable();
    }

    @Override
    public boolean mayResend() {
        return replay.mayResend();
    }

    @Override
    public boolean ejectTask() {
        ejected = taskChoice.failed();
        return ejected != null;
    }

    @Override
    public boolean anotherTaskExists() {
        return ejected != null && context.tasks(target).hasAlternative(ejected, System.nanoTime());
    }

    /** The backend connection broke: answer with an error if nothing was sent yet, else cut the client off. */
    private void backendFailed(ErrorResponses error, FailureReason reason) {
        if (backend != null) {
            backend.close();
            backend = null;
        }
        if (responseStarted) {
            record.failure(reason);
            context.failures.answered(0, reason, route, record.upstream(), null);
            downstream.close();
        } else {
            failWith(error, reason, null);
        }
    }

    /** Answers with the proxy's own 502, 503 or 504, saying why in the access log and (rate-limited) the log. */
    private void failWith(ErrorResponses error, FailureReason reason, Throwable cause) {
        record.failure(reason);
        context.failures.answered(error.code(), reason, route, record.upstream(), cause);
        respondWithError(error, false);
    }

    private void abortOrRespond(ErrorResponses error) {
        if (responseStarted) {
            downstream.close();
        } else {
            respondWithError(error, true);
        }
    }

    /**
     * Ends the exchange with a short error. The connection stays open when neither side needs it closed and the
     * request has no body still to come; a request whose body would have to be read and dropped closes it instead.
     */
    private void respondWithError(ErrorResponses error, boolean mustClose) {
        boolean keepAlive = abandonExchange(mustClose);
        byte[] page = context.errorPages.page(error.code());
        answerLocally(error.code(), page == null ? error.response(keepAlive)
                : error.withPage(downstream.alloc(), page, keepAlive), keepAlive);
    }

    /** Answers with what a route's policy decided, a denial or a redirect. */
    private void respondLocally(LocalResponse answer) {
        boolean keepAlive = abandonExchange(false);
        byte[] page = context.errorPages.page(answer.status());
        answerLocally(answer.status(), page == null ? answer.encode(downstream.alloc(), keepAlive)
                : answer.encodeWithPage(downstream.alloc(), keepAlive, page), keepAlive);
    }

    /** Drops the backend side of the exchange; returns whether the client connection may stay open after the answer. */
    private boolean abandonExchange(boolean mustClose) {
        taskChoice.end();
        writer.discard();
        if (backend != null) {
            backend.close();
            backend = null;
        }
        replay.release();
        forwarding.release();
        return !mustClose && clientKeepAlive && (requestComplete || !expectsBody);
    }

    private void answerLocally(int code, ByteBuf response, boolean keepAlive) {
        observeEnd(code, response.readableBytes());
        downstream.writeAndFlush(response);
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
        // A client that never reads these last bytes must not hold the connection open: the timeout still applies.
        deadline.arm(context.clientTimeoutNanos);
        releasePending();
        replay.release();
        forwarding.release();
        downstream.closeAfterWriting(lastMessage);
    }

    private void onDeadline() {
        if (closed) {
            downstream.close();
            return;
        }
        switch (phase) {
            case AWAITING_REQUEST -> downstream.close();
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
                    downstream.close();
                }
            }
        }
    }

    private void observeEnd(int sentStatus) {
        observeEnd(sentStatus, 0);
    }

    /** Reports the exchange before its last bytes are written, so that a client that has its answer sees it counted. */
    private void observeEnd(int sentStatus, int lastBytes) {
        if (!observed) {
            observed = true;
            context.observer.exchangeCompleted(record.completed(route, sentStatus, System.nanoTime() - startNanos,
                    lastBytes));
            if (route != null && route.policies().observesEnds()) {
                route.policies().ended(record);
            }
        }
    }

    private void releasePending() {
        Object msg;
        while ((msg = takePending()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    private static ErrorResponses errorFor(HttpError error) {
        return switch (error) {
            case URI_TOO_LONG -> ErrorResponses.URI_TOO_LONG;
            case HEADERS_TOO_LARGE -> ErrorResponses.HEADERS_TOO_LARGE;
            case BAD_REQUEST, BAD_RESPONSE -> ErrorResponses.BAD_REQUEST;
        };
    }
}
