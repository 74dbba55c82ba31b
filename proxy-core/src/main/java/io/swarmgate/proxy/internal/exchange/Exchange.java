package io.swarmgate.proxy.internal.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.ReferenceCountUtil;
import io.swarmgate.proxy.FailureReason;
import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.internal.context.FailureLog;
import io.swarmgate.proxy.internal.context.LoopState;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.head.BackendResponseHead;
import io.swarmgate.proxy.internal.head.ClientRequestHead;
import io.swarmgate.proxy.internal.http1.HttpError;
import io.swarmgate.proxy.internal.http1.MessageEnd;
import io.swarmgate.proxy.internal.http1.Trailers;
import io.swarmgate.proxy.internal.http2.ResponseHeaders;
import io.swarmgate.proxy.internal.io.Deadline;
import io.swarmgate.proxy.internal.upstream.BackendExchange;
import io.swarmgate.proxy.internal.upstream.BackendHandler;
import io.swarmgate.proxy.internal.upstream.BackendPool;
import io.swarmgate.proxy.internal.upstream.Endpoint;
import io.swarmgate.proxy.internal.upstream.MirrorSender;
import io.swarmgate.proxy.internal.upstream.ProxyHeaders;
import io.swarmgate.proxy.internal.upstream.TaskGroup;
import io.swarmgate.proxy.policy.LocalResponse;
import io.swarmgate.proxy.policy.PolicyResult;
import io.swarmgate.proxy.policy.RetryPolicy;
import io.swarmgate.proxy.route.ConnectionMode;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.proxy.upstream.BackendProtocol;
import io.swarmgate.proxy.upstream.ProxyHeader;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One request and its answer, from the head to the end: routes the request, runs the route's policies, relays it to
 * a pooled backend connection of the same event loop (again, when the route's {@link RetryPolicy} says so), relays
 * the answer back, or answers locally; after an upgrade it is the two-way byte relay of the tunnel. Lent by its event
 * loop to a client connection or HTTP/2 lane for the length of a request ({@link #lend}, {@link #giveBack}) and reused
 * for the loop's next request, so an exchange allocates nothing of its own and an idle connection holds none.
 *
 * <p>A callback of a request that has ended (a late connect, a policy's decision, a retry's pause) can reach the
 * exchange after it was given back, or lent again: each one checks the number of the request it was for.
 *
 * <p>The client's side of the connection (its queue of requests, which the exchange only holds for it, its reading,
 * the time between requests) is the {@link Client}'s; the exchange tells it when it is over and how. It hands the
 * writing of the answer to {@link ResponseWriter}, what is kept of the request for a resend to {@link RequestReplay},
 * the route's policies and the head they shape to {@link RequestForwarding}, and the choice of a task with its health
 * bookkeeping to {@link TaskChoice}.
 *
 * <p>Internal: public for {@code front} only.
 */
public final class Exchange implements BackendExchange, RetryPolicy.FailedAttempt {
    /** DFP's timeout tunnel: an upgraded connection may stay silent this long. */
    private static final long DEFAULT_TUNNEL_TIMEOUT_NANOS = TimeUnit.HOURS.toNanos(1);
    /** Reported as the method of a request whose head could not be read. */
    private static final HttpMethod UNREADABLE = HttpMethod.valueOf("UNREADABLE");

    /** What an exchange asks of the client's side of its connection. */
    public interface Client {
        /** The answer is written and the connection stays: on to the next request. */
        void exchangeEnded();

        /** The request was answered before its body arrived: the rest of the body is read and dropped. */
        void discardRequestBody();

        /** Writes the connection's last message and closes it once that is written. */
        void closeAfterWriting(Object lastMessage);

        /** Hands on the request's parts that waited for the backend connection. */
        void deliverPending();

        /** Reads the client while the exchange can use what it sends. */
        void updateReading();

        /** A read of the client is being handed on: {@link #clientReadComplete} follows it. */
        boolean inRead();
    }

    private final ProxyContext context;
    /** The event loop that lends the exchange, on which all of it runs. */
    private final EventLoop loop;
    /** What is kept of the request in progress for a resend. */
    private final RequestReplay replay;
    private final RequestMirror mirror = new RequestMirror();
    /** Runs the route's policies over a request and encodes the head its backend gets. */
    private final RequestForwarding forwarding;
    /** The task the request is on, when its backend balances tasks. */
    private final TaskChoice taskChoice;
    private final BackendPool pool;
    private final MirrorSender mirrors;
    /** The client's messages that wait for this request, or for the next one on its connection. */
    private final ArrayDeque<Object> pending = new ArrayDeque<>(4);
    /** The loop's exchanges not lent. */
    private final ArrayDeque<Object> spares;
    // The client's side, for the length of a loan.
    /** Whether the client's connection came over TLS. */
    private boolean secure;
    private Client client;
    /** The client's end: an HTTP/1.1 connection, or an HTTP/2 stream's lane. */
    private Downstream downstream;
    /** The connection's timer, which the exchange arms while it is in progress. */
    private Deadline deadline;
    private ExchangeRecord record;
    /** Writes the backend's answer to the client: its end's {@link Downstream#responseWriter}. */
    private ResponseWriter writer;
    private ClientConnection connection;

    /** Between its start and its end, while the client's end is open. */
    private boolean inProgress;
    /** Numbers exchanges, so that a callback for one that has ended (a late connect, a lookup) is recognised. */
    private int number;
    private boolean headRequest;
    /** The request's HTTP/1.x minor version, which its answer follows. */
    private int clientMinorVersion;
    private boolean clientKeepAlive;
    private Backend target;
    /** The client a PROXY protocol header names to the backend, when the route sends one; else null. */
    private @Nullable String proxiedClient;
    private BackendHandler backend;
    private boolean reusedConnection;
    /** Backend connections tried for this request; the route's {@link RetryPolicy} bounds them. */
    private int attempts;
    /** The task the retry policy ejected after the failed attempt: a retry avoids it. */
    private Endpoint ejected;
    private boolean requestComplete;
    private boolean expectsBody;
    private boolean responseStarted;
    private long serverTimeoutNanos;
    private boolean backendUnflushed;
    /** The request asked for a protocol upgrade; the decoder waits for the answer before reading on. */
    private boolean upgradeRequested;
    /** An HTTP/2 stream to an h2c backend: its head, body and trailers go as frames, and come back as frames. */
    private boolean frames;
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
    /** The body limit a policy set (0: none), and the body bytes received so far, chunk framing included. */
    private long bodyLimit;
    private long bodyBytes;

    private Exchange(ProxyContext context, EventLoop loop, LoopState state) {
        this.context = context;
        this.loop = loop;
        this.replay = new RequestReplay(context.retryBufferBytes);
        this.forwarding = new RequestForwarding(() -> context.connector(loop));
        this.taskChoice = new TaskChoice(context, loop);
        this.pool = state.pool();
        this.mirrors = state.mirrors();
        this.spares = state.spareExchanges();
    }

    /**
     * An exchange of the loop of {@code downstream} for a request of the client's, a spare one when the loop has one;
     * the client gives it back ({@link #giveBack}) once the request has ended or its end has closed.
     */
    public static Exchange lend(ProxyContext context, boolean secure, Client client, Downstream downstream,
            ResponseWriter writer, ExchangeRecord record, Deadline deadline, ClientConnection connection) {
        EventLoop loop = downstream.eventLoop();
        LoopState state = context.loop(loop);
        Object spare = state.spareExchanges().poll();
        Exchange exchange = spare != null ? (Exchange) spare : new Exchange(context, loop, state);
        exchange.secure = secure;
        exchange.client = client;
        exchange.downstream = downstream;
        exchange.record = record;
        exchange.deadline = deadline;
        exchange.writer = writer;
        exchange.connection = connection;
        return exchange;
    }

    /**
     * The queue of the client's decoded messages, its own until they are handed on: lent with the exchange, so that an
     * idle connection holds no queue. The exchange goes back only when its queue is empty.
     */
    public ArrayDeque<Object> pending() {
        return pending;
    }

    /** Back to the loop's spares, once {@link #finish}ed or {@link #release}d: it no longer knows the client. */
    public void giveBack() {
        client = null;
        downstream = null;
        record = null;
        deadline = null;
        writer = null;
        connection = null;
        route = null;
        target = null;
        spares.push(this);
    }

    /** A head the decoder could not read: answer the error it names and close. */
    public void startUnreadable(HttpError error) {
        begin(UNREADABLE);
        clientKeepAlive = false;
        respondWithError(errorFor(error), true);
    }

    /** A request's head arrived: route it, run the route's policies, and connect to its backend. */
    public void start(ClientRequestHead head) {
        try {
            begin(head.method());
            int clientMinor = head.versionMinor();
            record.request(head.target(), clientMinor);
            headRequest = head.method() == HttpMethod.HEAD;
            upgradeRequested = head.upgrade();
            clientKeepAlive = head.keepAlive() && !context.draining();
            expectsBody = head.hasBody();
            if (connection.peerTrusted()) {
                record.client(connection.forwardedClient(head));
            }
            if (head.hosts() > 1 || (head.hosts() == 0 && clientMinor == 1)) {
                respondWithError(ErrorResponses.NO_HOST, true);
                return;
            }
            String sent = head.target();
            String origin = RequestTargets.originForm(head.method(), sent);
            if (origin == null) {
                respondWithError(ErrorResponses.BAD_REQUEST, true);
                return;
            }
            // An absolute-form target's authority overrides Host (RFC 9112 §3.2.2): it routes and is sent as Host.
            String authority = RequestTargets.authority(sent);
            String host = authority != null ? authority : head.host();
            if (host != null && !RequestTargets.validAuthority(host)) {
                respondWithError(ErrorResponses.NO_HOST, true);
                return;
            }
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
            Route found = context.routes().find(host, uri, connection.localPort(), head);
            if (found == null) {
                record.failure(FailureReason.NO_ROUTE);
                context.failures.noRoute(host, uri, connection.localPort());
                respondWithError(ErrorResponses.NO_ROUTE, false);
                return;
            }
            // The same object back from normalizeTarget: a path without percent signs or backslashes, checked no more.
            // Refused before it is the exchange's route, as the paths normalizeTarget refuses: no service's request.
            if (uri != origin && PathNormalizer.routedElsewhere(context.routes(), found, host, uri,
                    connection.localPort(), head)) {
                respondWithError(ErrorResponses.AMBIGUOUS_PATH, false);
                return;
            }
            route = found;
            upgradeRelayed = Upgrades.relayed(head, route.upgradeProtocols());
            bodyBytes = 0;
            target = route.backend();
            proxiedClient = target.proxyHeader() == ProxyHeader.NONE ? null : connection.clientAddress(head);
            frames = target.protocol() == BackendProtocol.H2C && head.forwardAsFrames();
            taskChoice.begin(route, head);
            clientMinorVersion = clientMinor;
            Object forwardedHead = forwarding.forward(route.policies(), loop, head, host, uri,
                    uri.equals(sent) ? null : uri, authority, upgradeRelayed, frames, connection,
                    context.certificates(), downstream.alloc());
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

    private void begin(HttpMethod requestMethod) {
        inProgress = true;
        startNanos = System.nanoTime();
        record.begin(requestMethod);
        replay.begin(requestMethod);
        route = null;
        proxiedClient = null;
        status = 0;
        observed = false;
        deadline.arm(context.clientTimeoutNanos);
        backend = null;
        number++;
        taskChoice.end();
        reusedConnection = false;
        attempts = 0;
        requestComplete = false;
        expectsBody = false;
        responseStarted = false;
        tunnel = false;
        upgradeRequested = false;
        upgradeRelayed = null;
        frames = false;
        bodyLimit = 0;
    }

    /** A policy decides later: the request waits, its body held back, until the decision comes on this loop. */
    private void awaitPolicies(CompletionStage<PolicyResult> decision) {
        int waiting = number;
        decision.whenComplete((decided, error) -> loop.execute(() -> {
            if (waiting == number && inProgress && !responseStarted) {
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
        Object forwardedHead = forwarding.resume(decided, downstream.alloc());
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
    private void forwardHead(Object forwardedHead) {
        replay.head(forwardedHead);
        writer.begin(clientMinorVersion, forwarding.compression(), forwarding.compressionAlgorithm(),
                forwarding.answerEdits(route.policies().responseEdits(secure)));
        target = forwarding.backend(target);
        taskChoice.backend(target);
        Backend mirrorTarget = forwarding.mirror();
        if (mirrorTarget != null) {
            if (forwardedHead instanceof ByteBuf text) {
                mirror.begin(mirrorTarget, route, text);
            } else {
                context.observer.mirrorDropped(route, ProxyObserver.MirrorDrop.H2C);
            }
        }
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
        BackendHandler idle = proxiedClient != null ? null : pool.pollIdle(address, target.protocol());
        if (idle != null) {
            onBackendConnected(idle, true, number);
        } else {
            HAProxyMessage proxyHeader = proxiedClient == null ? null : ProxyHeaders.of(target.proxyHeader(),
                    proxiedClient, connection.clientPort(), connection.localAddress());
            pool.connect(address, target.protocol(), target.host(), proxyHeader, this, number,
                    taskChoice.connectTimeoutMillis(tasks));
        }
    }

    private void awaitFirstLookup(TaskGroup tasks, Endpoint failed) {
        int waiting = number;
        tasks.refresh(context.resolver(loop));
        tasks.firstResolution().whenComplete((ignored, error) -> loop.execute(() -> {
            if (waiting == number && inProgress && backend == null) {
                connectBackend(failed);
            }
        }));
    }

    @Override
    public void onBackendConnected(BackendHandler connected, boolean reused, int forExchange) {
        if (!inProgress || backend != null || forExchange != number) {
            // The client left (or the exchange ended) while connecting: the fresh connection is clean, keep it.
            pool.release(connected);
            return;
        }
        backend = connected;
        record.upstream(connected.address());
        reusedConnection = reused;
        connected.endpoint(taskChoice.endpoint());
        connected.bind(this, serverTimeoutNanos);
        if (!frames) {
            // An h2c stream's response comes as frames, past the HTTP/1.1 decoder.
            connected.expectResponse(headRequest, writer.plainBody(), upgradeRelayed != null);
        }
        replay.writeTo(connected); // the head, and on a retry the body sent before
        if (requestComplete) {
            endRequest(connected); // a retry of a whole request
        }
        client.deliverPending();
        if (backend != null) {
            if (client.inRead()) {
                // The rest of the read (a body, its end) goes in the same write: flushed at the read's end.
                backendUnflushed = true;
            } else {
                backendUnflushed = false;
                backend.flush();
            }
        }
        client.updateReading();
    }

    @Override
    public void onBackendConnectFailed(int forExchange, Throwable cause) {
        if (!inProgress || backend != null || forExchange != number) {
            return;
        }
        if (!retried(RetryPolicy.Failure.CONNECT_FAILED)) {
            failWith(ErrorResponses.NO_SERVER, FailureLog.ofConnect(cause), cause);
        }
    }

    /** Whether the request's body, or the end of it, still has to arrive. */
    public boolean bodyPending() {
        return !requestComplete;
    }

    /** Whether a backend connection takes the request's body now; until then it waits in the client's queue. */
    public boolean backendConnected() {
        return backend != null;
    }

    /** A part of the request's body, or its end, for the backend connection. */
    public void body(Object part) {
        if (part == MessageEnd.INSTANCE) {
            requestComplete = true;
            endRequest(backend);
            mirror.complete(mirrors, context.observer);
            // From here the client only waits: the backend's timeout applies, not the client's.
            deadline.disarm();
            return;
        }
        if (part instanceof Http2Headers trailers) {
            // An HTTP/2 request's trailers, to an h2c backend as its last HEADERS; a resend could not repeat them.
            replay.trailersSent();
            backend.write(trailers);
            backendUnflushed = true;
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
            mirror.body(body, context.observer);
        }
        backend.write(body);
        backendUnflushed = true;
    }

    /** The request went out to its end: HTTP/1.1's framing says so itself; an h2c stream's last frame carries it. */
    private void endRequest(BackendHandler connection) {
        if (frames) {
            connection.write(MessageEnd.INSTANCE);
            backendUnflushed = true;
        }
        connection.requestSent();
    }

    /** The request's body broke its framing. */
    public void malformedBody() {
        abortOrRespond(ErrorResponses.BAD_REQUEST);
    }

    /** What the client sent has been handed on: flush it to the backend, time what comes next. */
    public void clientReadComplete() {
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
    }

    /** Whether the backend connection cannot take more of what the client sends. */
    public boolean backendBlocked() {
        return backend != null && (!requestComplete || tunnel) && !backend.isWritable();
    }

    public void clientWritabilityChanged() {
        if (backend != null) {
            backend.reading(downstream.isWritable());
        }
    }

    @Override
    public void onBackendMessage(BackendHandler from, Object msg) {
        if (from != backend) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof ByteBuf body) {
            writer.body(body);
        } else if (msg instanceof Http2DataFrame data) {
            writer.body(data.content());
        } else if (msg instanceof BackendResponseHead head) {
            onResponseHead(head);
        } else if (msg instanceof Http2Headers trailers) {
            writer.trailers(trailers);
        } else if (msg instanceof Trailers trailers) {
            writer.trailers(ResponseHeaders.trailers(trailers));
        } else if (msg == MessageEnd.INSTANCE) {
            onResponseComplete();
        } else {
            backendFailed(ErrorResponses.BAD_GATEWAY, FailureReason.BAD_RESPONSE);
        }
    }

    private void onResponseHead(BackendResponseHead response) {
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
            if (route.policies().retries().retriesAnswer(response.status(), this)) {
                // Nothing of this answer went to the client: the backend connection, body unread, goes with it.
                backend.close();
                backend = null;
                ejected = null;
                retry();
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
    private void startTunnel(BackendResponseHead response) {
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
        if (from != backend || !inProgress) {
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
        client.updateReading();
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
        inProgress = false;
        if (!requestComplete || !clientKeepAlive) {
            // The backend answered before the whole body arrived, or the client asked to close: end the connection.
            releaseRequest();
            client.closeAfterWriting(lastPart);
            return;
        }
        downstream.writeAndFlush(lastPart);
        client.exchangeEnded();
    }

    /** The exchange is over and the connection stays: what it kept of the request goes, the decoding goes on. */
    public void finish() {
        releaseRequest();
        target = null;
        if (upgradeRequested) {
            // The upgrade was refused: the client's next bytes are HTTP again.
            upgradeRequested = false;
            downstream.resumeDecoding();
        }
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
        retry();
        return true;
    }

    /** Tries the request again, avoiding the task ejected, after the route's pause between retries if it has one. */
    private void retry() {
        context.observer.requestRetried(route);
        long pause = route.policies().retries().backoffNanos(attempts);
        if (pause == 0) {
            connectBackend(ejected);
            return;
        }
        int waiting = number;
        Endpoint avoided = ejected;
        loop.schedule(() -> {
            if (waiting == number && inProgress && backend == null) {
                connectBackend(avoided);
            }
        }, pause, TimeUnit.NANOSECONDS);
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
    private void failWith(ErrorResponses error, FailureReason reason, @Nullable Throwable cause) {
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

    /** The client's end stayed silent past its deadline in mid-exchange. */
    public void timedOut() {
        if (!responseStarted && !requestComplete) {
            respondWithError(ErrorResponses.REQUEST_TIMEOUT, true);
        } else {
            downstream.close();
        }
    }

    /** A request began to arrive but its head did not come in time: a 408, no exchange to report, and the close. */
    public void headTimedOut() {
        observed = true;
        clientKeepAlive = false;
        respondWithError(ErrorResponses.REQUEST_TIMEOUT, true);
    }

    /**
     * Ends the exchange with a short error. The connection stays open when neither side needs it closed and the
     * request has no body still to come; a request whose body would have to be read and dropped closes it instead.
     */
    private void respondWithError(ErrorResponses error, boolean mustClose) {
        boolean keepAlive = abandon(mustClose);
        byte[] page = context.errorPages.page(error.code());
        answerLocally(page == null ? error : error.withPage(page), keepAlive);
    }

    /** Answers with what a route's policy decided, a denial or a redirect. */
    private void respondLocally(LocalResponse answer) {
        record.answeredBy(answer.policy());
        boolean keepAlive = abandon(false);
        // A relayed answer (forward auth's) goes back as it came: a user's error page never replaces it.
        byte[] page = answer.relayed() ? null : context.errorPages.page(answer.status());
        answerLocally(new PolicyAnswer(answer, page), keepAlive);
    }

    /** Drops the backend side of the exchange; returns whether the client connection may stay open after the answer. */
    private boolean abandon(boolean mustClose) {
        taskChoice.end();
        writer.discard();
        if (backend != null) {
            backend.close();
            backend = null;
        }
        releaseRequest();
        return !mustClose && clientKeepAlive && (requestComplete || !expectsBody);
    }

    private void answerLocally(LocalAnswer answer, boolean keepAlive) {
        Object response = downstream.localAnswer(answer, keepAlive);
        observeEnd(answer.status(), response instanceof ByteBuf bytes ? bytes.readableBytes() : answer.bodyLength());
        inProgress = false;
        downstream.writeAndFlush(response);
        if (!keepAlive) {
            // An empty write completes after everything written before it, so the close loses nothing.
            client.closeAfterWriting(Unpooled.EMPTY_BUFFER);
        } else if (requestComplete) {
            client.exchangeEnded();
        } else {
            client.discardRequestBody();
        }
    }

    /** The client's end closed, or was reset: whatever is in progress is abandoned. */
    public void clientClosed() {
        if (inProgress) {
            inProgress = false;
            observeEnd(0, 0); // cut off before a complete answer
        }
    }

    /** Lets go of everything the exchange holds, once the client's end is gone. */
    public void release() {
        taskChoice.end();
        writer.discard();
        releaseRequest();
        if (backend != null) {
            // Mid-exchange the backend connection is in an unknown state: it cannot go back to the pool.
            backend.close();
            backend = null;
        }
    }

    private void releaseRequest() {
        replay.release();
        mirror.release();
        forwarding.release();
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
            forwarding.ended();
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
