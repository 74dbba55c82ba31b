package io.swarmgate.proxy.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.swarmgate.proxy.internal.http1.RequestDecoder;

/** The pipeline of a client connection: the HTTP/1.x request decoder and the proxying handler. */
public final class ProxyChannelInitializer extends ChannelInitializer<Channel> {
    private final ProxyContext context;

    public ProxyChannelInitializer(ProxyContext context) {
        this.context = context;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new RequestDecoder(), new FrontendHandler(context));
    }
}
