package io.swarmgate.proxy.internal.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.swarmgate.proxy.internal.context.ClientExchange;
import io.swarmgate.proxy.internal.context.LoopState;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.exchange.ClientConnection;
import io.swarmgate.proxy.internal.exchange.Downstream;
import io.swarmgate.proxy.internal.exchange.ErrorResponses;
import io.swarmgate.proxy.internal.exchange.Exchange;
import io.swarmgate.proxy.internal.exchange.ExchangeRecord;
import io.swarmgate.proxy.internal.exchange.ResponseWriter;
import io.swarmgate.proxy.internal.head.ClientRequestHead;
import io.swarmgate.proxy.internal.http1.HttpError;
import io.swarmgate.proxy.internal.http1.MessageEnd;
import io.swarmgate.proxy.internal.io.Deadline;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The client's side of a connection: the requests it sends, one {@link Exchange} at a time, and the time between
 * them. The exchange is its event loop's, lent for the length of a request: an idle connection holds none. The
 * client's end is a {@link Downstream}: an HTTP/1.1 connection, whose {@link FrontendHandler} hands on what Netty tells
 * it, or an {@link Http2Lane}, which serves HTTP/2 streams through it one after another. Messages arrive decoded, as
 * heads and body slices.
 *
 * <p>Backpressure: the client is read only while the backend connection can take the request body, and the backend
 * only while the client connection can take the answer, so a slow reader on either side holds at most a read buffer
 * and the socket buffers in the proxy. Reading is switched off only when a side is actually unwritable: toggling it
 * for every request would cost two epoll_ctl calls per read. Requests are served one at a time per connection;
 * pipelined requests, and a request's body until its backend connection is ready, wait in the lent exchange's
 * {@link Exchange#pending queue}, which stops the reading when it holds too much. The exchange goes back to the loop
 * once its request has ended and nothing waits in that queue.
 *
 */
final class ClientRequests implements ClientExchange, Exchange.Client {
    private final ProxyContext context;
    /** Whether the connection came over TLS. */
    private final boolean secure;
    /** Past this many queued messages or body bytes the client is not read until the queue drains. */
    private static final int MAX_PENDING_MESSAGES = 32;
    private static final int MAX_PENDING_BYTES = 64 * 1024;
    private static final long DRAIN_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** The body bytes in the exchange's queue. */
    private int pendingBytes;
    /** The client's end: an HTTP/1.1 connection, or an HTTP/2 stream's lane. */
    private Downstream downstream;
    private ExchangeRecord record;
    /** Writes backends' answers to the client's end, reused for each. */
    private ResponseWriter writer;
    /** The request in progress, from its head until it ends or the client's end closes; else {@code null}. */
    private @Nullable Exchange exchange;
    private ClientConnection connection;
    private LoopState loop;
    /** This connection's place among its loop's client connections. */
    private int slot = -1;
    private Deadline deadline;
    private boolean closed;
    private boolean decodedSinceReadComplete;
    /** Accepted while the server already had its maximum of client connections. */
    private boolean overLimit;
    /** The client's end is a connection of its own (HTTP/1.1), counted here; not an HTTP/2 lane. */
    private final boolean ownConnection;

    /** Where the connection is between requests; decides what an expired deadline means. */
    private enum Phase { AWAITING_REQUEST, RECEIVING_HEAD, EXCHANGE, DISCARDING_BODY }

    private Phase phase = Phase.AWAITING_REQUEST;

    ClientRequests(ProxyContext context, boolean secure, boolean ownConnection) {
        this.context = context;
        this.secure = secure;
        this.ownConnection = ownConnection;
    }

    /**
     * Joins a client's end; {@code record} counts its bytes. An HTTP/2 lane's connection is counted, and reported to
     * the observer, by the connection's handler, and said to be over the limit by it.
     */
    void attach(Downstream client, ExchangeRecord exchangeRecord, boolean overConnectionLimit) {
        downstream = client;
        loop = context.loop(client.eventLoop());
        deadline = new Deadline(loop.timers(), this::onDeadline);
        record = exchangeRecord;
        writer = client.responseWriter();
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

    /** The client's end is gone for good (after {@link #ended}). */
    void detach() {
        deadline.cancel();
        loop.clients().remove(this);
        if (ownConnection) {
            context.clientClosed();
        }
    }

    /** The client's connection is open; over the connection limit, it gets its 503 now. */
    void opened(ClientConnection clientConnection) {
        if (ownConnection) {
            context.observer.connectionOpened();
        }
        connection = clientConnection;
        writer.opened(context, clientConnection);
        if (overLimit) {
            // Beyond maxConnections: say why, rather than leaving the client to guess from a reset.
            downstream.reading(false);
            closeAfterWriting(downstream.localAnswer(ErrorResponses.TOO_MANY_CONNECTIONS, false));
            return;
        }
        deadline.arm(context.httpRequestTimeoutNanos);
    }

    /** A decoded part of a request: a head, body bytes, the end, or an error. */
    void received(Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        decodedSinceReadComplete = true;
        if (exchange == null) {
            if (!(msg instanceof ClientRequestHead || msg instanceof HttpError)) {
                // The rest of a body whose request was already answered (and the connection is closing).
                ReferenceCountUtil.release(msg);
                return;
            }
            exchange = lendExchange();
        }
        if (msg instanceof ByteBuf body) {
            pendingBytes += body.readableBytes();
        }
        exchange.pending().add(msg);
        processPending();
    }

    /** What the client sent has been handed on: flush it to the backend, time what comes next. */
    void readComplete() {
        if (closed) {
            return;
        }
        if (phase == Phase.EXCHANGE) {
            exchange.clientReadComplete();
        } else if (phase == Phase.AWAITING_REQUEST && !decodedSinceReadComplete) {
            // Bytes that decoded into nothing are the start of a request: its head must now arrive in time.
            phase = Phase.RECEIVING_HEAD;
            deadline.arm(context.httpRequestTimeoutNanos);
        }
        decodedSinceReadComplete = false;
        updateReading();
    }

    void writabilityChanged() {
        if (exchange != null) {
            exchange.clientWritabilityChanged();
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

    /** The client's end closed, or was reset: whatever is in progress is abandoned. */
    void ended() {
        if (exchange != null) {
            exchange.clientClosed();
        }
        if (ownConnection) {
            context.observer.connectionClosed();
        }
        closed = true;
        releasePending();
        if (exchange != null) {
            exchange.release();
            giveBackExchange();
        }
    }

    /** A request begins to arrive: the loop lends it an exchange. */
    private Exchange lendExchange() {
        return Exchange.lend(context, secure, this, downstream, writer, record, deadline, connection);
    }

    private void giveBackExchange() {
        Exchange ended = exchange;
        exchange = null;
        ended.giveBack();
    }

    private Object takePending() {
        Object msg = exchange.pending().poll();
        if (msg instanceof ByteBuf body) {
            pendingBytes -= body.readableBytes();
        }
        return msg;
    }

    /**
     * Handles queued messages in order: a head starts the exchange, body parts follow it to the backend. With no
     * request in progress and none waiting, the exchange goes back to the loop.
     */
    private void processPending() {
        Object msg;
        while (!closed && exchange != null && (msg = exchange.pending().peek()) != null) {
            boolean busy = phase == Phase.EXCHANGE || phase == Phase.DISCARDING_BODY;
            boolean inBody = (phase == Phase.EXCHANGE && exchange.bodyPending()) || phase == Phase.DISCARDING_BODY;
            if (msg instanceof HttpError error) {
                if (busy && !inBody) {
                    break; // the next request is malformed: answer it after the current one
                }
                takePending();
                if (phase == Phase.DISCARDING_BODY) {
                    closeAfterFlush();
                } else if (inBody) {
                    exchange.malformedBody();
                } else {
                    phase = Phase.EXCHANGE;
                    exchange.startUnreadable(error);
                }
            } else if (msg instanceof ClientRequestHead head) {
                if (busy) {
                    break;
                }
                takePending();
                phase = Phase.EXCHANGE;
                exchange.start(head);
            } else if (phase == Phase.DISCARDING_BODY) {
                // The body of a request that was already answered with an error.
                takePending();
                ReferenceCountUtil.release(msg);
                if (msg == MessageEnd.INSTANCE) {
                    exchangeEnded();
                }
            } else if (phase != Phase.EXCHANGE) {
                // The rest of a body whose request was already answered (and the connection is closing).
                takePending();
                ReferenceCountUtil.release(msg);
            } else if (!exchange.backendConnected()) {
                break;
            } else {
                takePending();
                exchange.body(msg);
            }
        }
        if (phase == Phase.AWAITING_REQUEST && exchange != null && !closed) {
            giveBackExchange(); // the queue is empty: in this phase a message is taken, or starts a request
        }
    }

    @Override
    public boolean inRead() {
        return decodedSinceReadComplete;
    }

    @Override
    public void deliverPending() {
        processPending();
    }

    /** Reads the client while the current state can use what it sends, and the queue is not too full. */
    @Override
    public void updateReading() {
        if (closed) {
            return;
        }
        boolean bodyBlocked = phase == Phase.EXCHANGE && exchange.backendBlocked();
        int queued = exchange == null ? 0 : exchange.pending().size();
        boolean read = !bodyBlocked && queued < MAX_PENDING_MESSAGES && pendingBytes < MAX_PENDING_BYTES;
        if (downstream.reading() != read) {
            downstream.reading(read);
        }
    }

    @Override
    public void exchangeEnded() {
        phase = Phase.AWAITING_REQUEST;
        exchange.finish();
        if (context.draining()) {
            closeAfterFlush();
            return;
        }
        deadline.arm(context.keepAliveTimeoutNanos);
        processPending();
        updateReading();
    }

    @Override
    public void discardRequestBody() {
        phase = Phase.DISCARDING_BODY;
        processPending();
        updateReading();
    }

    private void closeAfterFlush() {
        // An empty write completes after everything written before it, so the close loses nothing.
        closeAfterWriting(Unpooled.EMPTY_BUFFER);
    }

    @Override
    public void closeAfterWriting(Object lastMessage) {
        closed = true;
        // A client that never reads these last bytes must not hold the connection open: the timeout still applies.
        deadline.arm(context.clientTimeoutNanos);
        releasePending();
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
                // A head that did not come in time: no exchange is lent without one.
                phase = Phase.EXCHANGE;
                exchange = lendExchange();
                exchange.headTimedOut();
            }
            case EXCHANGE -> exchange.timedOut();
        }
    }

    private void releasePending() {
        Object msg;
        while (exchange != null && (msg = takePending()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
