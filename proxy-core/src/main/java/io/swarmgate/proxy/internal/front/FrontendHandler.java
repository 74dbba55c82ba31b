package io.swarmgate.proxy.internal.front;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.exchange.ClientConnection;
import io.swarmgate.proxy.internal.exchange.ExchangeRecord;
import io.swarmgate.proxy.internal.http1.RequestDecoder;
import io.swarmgate.proxy.internal.io.ClientAddress;

/**
 * An HTTP/1.1 client connection's last handler, after its request decoder: hands what Netty tells of the connection to
 * its {@link ClientRequests}, which an HTTP/2 lane uses the same way without a channel of its own.
 *
 * <p>Internal: public for {@code server} only.
 */
public final class FrontendHandler extends ChannelInboundHandlerAdapter {
    private final ProxyContext context;
    private final boolean secure;
    private final RequestDecoder decoder;
    private final ExchangeRecord record;
    private final ClientRequests requests;

    /** @param decoder the connection's request decoder, the handler before this one */
    public FrontendHandler(ProxyContext context, boolean secure, RequestDecoder decoder) {
        this.context = context;
        this.secure = secure;
        this.decoder = decoder;
        this.record = new ExchangeRecord(decoder);
        this.requests = new ClientRequests(context, secure, true);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        requests.attach(new ChannelDownstream(ctx, decoder, record), record, !context.clientOpened());
    }

    /** Runs however the channel ends. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        requests.detach();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        record.client(ClientAddress.of(ctx.channel()));
        requests.opened(new ClientConnection(ctx.channel(), secure, context.trustedProxies));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        requests.received(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        requests.readComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        requests.writabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        requests.ended();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a failed write: nothing can be answered on this connection any more.
        requests.close();
    }
}
