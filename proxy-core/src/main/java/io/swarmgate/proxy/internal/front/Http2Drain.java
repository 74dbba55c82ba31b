package io.swarmgate.proxy.internal.front;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Stream;
import io.swarmgate.proxy.internal.context.Drainable;
import io.swarmgate.proxy.internal.context.LoopState;
import io.swarmgate.proxy.internal.context.ProxyContext;

/**
 * Closes an HTTP/2 connection when the server stops, once no stream is open on it (with GOAWAY, sent by the codec):
 * streams drain as connections do. GOAWAY waits for the last stream because some clients (the JDK's before 24) fail
 * the streams they have in flight when one arrives.
 *
 * <p>Internal: public for {@code server} only.
 */
public final class Http2Drain extends ChannelInboundHandlerAdapter implements Drainable {
    private final ProxyContext context;
    private ChannelHandlerContext ctx;
    private LoopState loop;
    private int slot = -1;
    private boolean draining;

    public Http2Drain(ProxyContext context) {
        this.context = context;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        loop = context.loop(ctx.channel().eventLoop());
        loop.streamConnections().add(this);
        if (context.draining()) {
            drain(); // negotiated while the server was already stopping
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        loop.streamConnections().remove(this);
    }

    @Override
    public void drain() {
        if (draining) {
            return;
        }
        draining = true;
        Http2Connection connection = ctx.pipeline().get(Http2ConnectionHandler.class).connection();
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                // Checked after the stream has fully left the connection's active set.
                ctx.executor().execute(() -> closeIfIdle(connection));
            }
        });
        closeIfIdle(connection);
    }

    private void closeIfIdle(Http2Connection connection) {
        if (connection.numActiveStreams() == 0) {
            ctx.channel().close();
        }
    }

    @Override
    public int slot() {
        return slot;
    }

    @Override
    public void slot(int slot) {
        this.slot = slot;
    }
}
