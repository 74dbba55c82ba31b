package io.swarmgate.proxy.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import io.swarmgate.proxy.stream.StreamRoute;
import io.swarmgate.proxy.stream.StreamTable;

/**
 * Reads a connection's TLS ClientHello, however many packets it spans, without answering it, and routes the
 * connection by the server name it carries; then steps aside, handing every byte it read, untouched, to the relay.
 * A connection with no route for its name, or whose ClientHello does not arrive within {@link #INSPECT_DELAY_MILLIS}
 * (DFP's {@code tcp-request inspect-delay}), is closed.
 */
final class ServerNameInspector extends AbstractSniHandler<StreamRoute> {
    static final long INSPECT_DELAY_MILLIS = 5000;
    /** A ClientHello is a few hundred bytes; a larger one than this is not waited for. */
    private static final int MAX_CLIENT_HELLO_BYTES = 16 * 1024;
    private static final NoStreamRoute NO_ROUTE = new NoStreamRoute();

    private final StreamTable table;
    private final int port;
    private final StreamRelay relay;

    ServerNameInspector(StreamTable table, int port, StreamRelay relay) {
        super(MAX_CLIENT_HELLO_BYTES, INSPECT_DELAY_MILLIS);
        this.table = table;
        this.port = port;
        this.relay = relay;
    }

    @Override
    protected Future<StreamRoute> lookup(ChannelHandlerContext ctx, String hostname) {
        StreamRoute route = table.route(port, hostname);
        return route != null ? ctx.executor().newSucceededFuture(route) : ctx.executor().newFailedFuture(NO_ROUTE);
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<StreamRoute> route) {
        if (!route.isSuccess()) {
            ctx.close();
            return;
        }
        relay.start(route.getNow());
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
