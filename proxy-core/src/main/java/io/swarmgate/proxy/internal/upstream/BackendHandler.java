package io.swarmgate.proxy.internal.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.swarmgate.proxy.internal.head.BackendResponseHead;
import io.swarmgate.proxy.internal.http1.ResponseDecoder;
import io.swarmgate.proxy.internal.http2.BackendStreamBridge;
import io.swarmgate.proxy.internal.io.ConnectionTimers;
import io.swarmgate.proxy.internal.io.Deadline;
import io.swarmgate.proxy.upstream.BackendProtocol;
import java.net.SocketAddress;

/**
 * One connection to a backend. While bound to a client exchange it hands every response part to that
 * {@link BackendExchange}; while pooled it only watches for the backend closing it.
 *
 * <p>Internal: public for {@code exchange} only.
 */
public final class BackendHandler extends ChannelInboundHandlerAdapter {
    private final ConnectionTimers timers;
    private ChannelHandlerContext ctx;
    private ResponseDecoder decoder;
    /** An h2c connection's bridge, whose stream's send window bounds what may be written; {@code null} on HTTP/1.1. */
    private BackendStreamBridge bridge;
    private BackendProtocol protocol = BackendProtocol.HTTP1;
    private Deadline deadline;
    private SocketAddress address;
    private BackendExchange frontend;
    private boolean pooled;
    /** Whether another exchange may use it; not once it carried a PROXY protocol header naming one client. */
    private boolean shareable = true;
    private Endpoint endpoint;
    /** The backend inactivity timeout of the exchange it serves. */
    private long timeoutNanos;
    /** Whether the whole request of its last exchange went out; a fresh connection carried none. */
    private boolean requestSent = true;
    /** Whether the final answer of its last exchange said the backend keeps the connection. */
    private boolean answerKeepsConnection = true;

    BackendHandler(ConnectionTimers timers) {
        this.timers = timers;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.decoder = ctx.pipeline().get(ResponseDecoder.class);
        this.bridge = ctx.pipeline().get(BackendStreamBridge.class);
        this.deadline = new Deadline(timers, this::onDeadline);
    }

    /** Runs however the channel ends, even one that never became active (a failed connect). */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        deadline.cancel();
        setPooled(false);
    }

    /** The address it was opened to, which keys its pool. */
    public SocketAddress address() {
        return address;
    }

    /** What it was opened to, and how it speaks: both key its pool. */
    void opened(SocketAddress address, BackendProtocol protocol, boolean shareable) {
        this.address = address;
        this.protocol = protocol;
        this.shareable = shareable;
    }

    BackendProtocol protocol() {
        return protocol;
    }

    boolean isOpen() {
        return ctx.channel().isActive();
    }

    public boolean isWritable() {
        return ctx.channel().isWritable() && (bridge == null || bridge.streamWritable());
    }

    /** Attaches the connection to a client exchange and starts its server timeout. */
    public void bind(BackendExchange frontend, long timeoutNanos) {
        this.frontend = frontend;
        this.timeoutNanos = timeoutNanos;
        requestSent = false;
        answerKeepsConnection = false;
        deadline.arm(timeoutNanos);
    }

    /** The exchange's request went out to its end (on a resend: all of it again). */
    public void requestSent() {
        requestSent = true;
    }

    /**
     * Whether it may serve another exchange: its last one ended cleanly on both sides. The whole request went out, and
     * a final answer that keeps the connection ended by its own framing, with not a byte after it (nor since, while
     * pooled). After anything else the backend may still expect bytes of the request or send more of an answer, which
     * the next exchange on this connection would get as its own. A connection that sent a PROXY protocol header is
     * never reused.
     */
    boolean reusable() {
        return shareable && isOpen() && requestSent && answerKeepsConnection && decoder.answeredExactly();
    }

    void enterPool(long idleTimeoutNanos) {
        frontend = null;
        setPooled(true);
        deadline.arm(idleTimeoutNanos);
        // Reading lets us notice at once when the backend closes the idle connection.
        reading(true);
    }

    /** Takes the connection out of the pool; false when it closed meanwhile, or the backend sent bytes unasked. */
    boolean leavePool() {
        setPooled(false);
        if (reusable()) {
            return true;
        }
        close();
        return false;
    }

    /** The task it is connected to, when its backend balances tasks; counts it while pooled. */
    public void endpoint(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    private void setPooled(boolean nowPooled) {
        if (pooled != nowPooled && endpoint != null) {
            endpoint.pooledChanged(nowPooled ? 1 : -1);
        }
        pooled = nowPooled;
    }

    /**
     * Says what the next response responds to: see {@link ResponseDecoder#expect}. A body passed on as data alone comes
     * with its trailer fields, which an HTTP/2 client gets as the stream's last HEADERS.
     */
    public void expectResponse(boolean headRequest, boolean deChunk, boolean upgrade) {
        decoder.expect(headRequest, deChunk, upgrade);
        decoder.keepTrailers(deChunk);
    }

    /** Changes the exchange's inactivity timeout (a tunnel's is longer than a request's) and restarts it. */
    public void timeout(long nanos) {
        timeoutNanos = nanos;
        deadline.arm(nanos);
    }

    public void write(Object message) {
        ctx.write(message, ctx.voidPromise());
    }

    public void flush() {
        ctx.flush();
    }

    /** Backpressure from the client side: stops or resumes reading the answer. */
    public void reading(boolean enabled) {
        if (ctx.channel().config().isAutoRead() != enabled) {
            ctx.channel().config().setAutoRead(enabled);
        }
    }

    /** Activity on the exchange: pushes the server timeout back. */
    public void touch() {
        deadline.arm(timeoutNanos);
    }

    public void close() {
        frontend = null;
        deadline.cancel();
        ctx.close();
    }

    /** Completes once the connection is closed, its pending I/O included. */
    public Future<Void> closeFuture() {
        return ctx.channel().closeFuture();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        BackendExchange exchange = frontend;
        if (exchange == null) {
            // Nothing may arrive on an idle connection: whatever it is, the connection cannot be trusted.
            ReferenceCountUtil.release(msg);
            close();
            return;
        }
        deadline.arm(timeoutNanos);
        if (msg instanceof BackendResponseHead head && !head.informational()) {
            answerKeepsConnection = head.keepsConnection();
        }
        exchange.onBackendMessage(this, msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        BackendExchange exchange = frontend;
        if (exchange != null) {
            exchange.onBackendReadComplete(this);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        BackendExchange exchange = frontend;
        if (exchange != null && isWritable()) {
            exchange.onBackendWritable();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        BackendExchange exchange = frontend;
        frontend = null;
        if (exchange != null) {
            exchange.onBackendClosed(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and write failures end the connection; channelInactive tells the exchange.
        ctx.close();
    }

    private void onDeadline() {
        BackendExchange exchange = frontend;
        if (exchange != null) {
            exchange.onBackendTimeout(this);
        } else if (pooled) {
            close();
        }
    }
}
