package io.swarmgate.proxy.internal.io;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Passes a flush on only when something was written since the last one. It sits right after the TLS handler, where an
 * empty flush is not free: the handler queues an empty buffer with a new promise, runs it through the engine, and
 * flushes the socket. The proxy's handlers flush after each read they relay, and the HTTP/2 handler after each read
 * from the client, so most requests made two or three flushes, one of which carried the answer.
 *
 * <p>Internal: public for {@code server} only.
 */
public final class FlushWhenWritten extends ChannelOutboundHandlerAdapter {
    private boolean written;

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        written = true;
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (written) {
            written = false;
            ctx.flush();
        }
    }
}
