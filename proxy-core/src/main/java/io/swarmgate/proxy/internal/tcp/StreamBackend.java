package io.swarmgate.proxy.internal.tcp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/** The backend side of a {@link StreamRelay}: hands everything that happens on it to the relay. */
final class StreamBackend extends ChannelInboundHandlerAdapter {
    private final StreamRelay relay;

    StreamBackend(StreamRelay relay) {
        this.relay = relay;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        relay.fromBackend(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        relay.backendReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        relay.backendWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            relay.backendInputShutdown();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        relay.backendClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a failed write ends the connection; channelInactive tells the relay.
        ctx.close();
    }
}
