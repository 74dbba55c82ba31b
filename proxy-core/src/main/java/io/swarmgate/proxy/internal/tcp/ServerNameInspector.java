package io.swarmgate.proxy.internal.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.swarmgate.proxy.tcp.StreamRoute;
import io.swarmgate.proxy.tcp.StreamTable;
import java.util.concurrent.TimeUnit;

/**
 * Reads a connection's TLS ClientHello, however many packets it spans, without answering it, and routes the
 * connection by the server name it carries; then steps aside, handing every byte it read, untouched, to the relay.
 * A connection that sends something else than a ClientHello, or none within {@link #INSPECT_DELAY_MILLIS} (DFP's
 * {@code tcp-request inspect-delay}), goes to the port's default route; with no route for it, it is closed.
 */
final class ServerNameInspector extends AbstractSniHandler<StreamRoute> {
    static final long INSPECT_DELAY_MILLIS = 5000;
    /** A ClientHello is a few hundred bytes; a larger one than this is not waited for. */
    private static final int MAX_CLIENT_HELLO_BYTES = 16 * 1024;
    private static final NoStreamRoute NO_ROUTE = new NoStreamRoute();

    private final StreamTable table;
    private final int port;
    private final StreamRelay relay;
    private ScheduledFuture<?> inspectDelay;

    ServerNameInspector(StreamTable table, int port, StreamRelay relay) {
        super(MAX_CLIENT_HELLO_BYTES, 0); // its own delay closes the connection; this one may pick the default
        this.table = table;
        this.port = port;
        this.relay = relay;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        inspectDelay = ctx.executor().schedule(() -> route(ctx, table.route(port, null)), INSPECT_DELAY_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        inspectDelay.cancel(false);
        super.handlerRemoved0(ctx);
    }

    @Override
    protected Future<StreamRoute> lookup(ChannelHandlerContext ctx, String hostname) {
        StreamRoute route = table.route(port, hostname);
        return route != null ? ctx.executor().newSucceededFuture(route) : ctx.executor().newFailedFuture(NO_ROUTE);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<StreamRoute> route) {
        route(ctx, route.isSuccess() ? route.getNow() : null);
    }

    private void route(ChannelHandlerContext ctx, StreamRoute route) {
        if (ctx.isRemoved()) {
            return;
        }
        if (route == null) {
            ctx.close();
            return;
        }
        relay.start(route);
        // Removing the decoder passes the bytes it holds, the ClientHello included, on to the relay.
        ctx.pipeline().remove(this);
    }

    /** No route takes the connection's server name; shared, without a stack trace. */
    private static final class NoStreamRoute extends Exception {
        NoStreamRoute() {
            super("no route for the server name", null, false, false);
        }
    }
}
