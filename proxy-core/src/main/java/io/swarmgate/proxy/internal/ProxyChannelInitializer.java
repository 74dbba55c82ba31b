package io.swarmgate.proxy.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SniHandler;
import io.swarmgate.proxy.internal.http1.RequestDecoder;

/**
 * The pipeline of a client connection: on a TLS listener the handshake, with the certificate its SNI names, then the
 * byte counts of the exchanges, the HTTP/1.x request decoder and the proxying handler.
 */
public final class ProxyChannelInitializer extends ChannelInitializer<Channel> {
    private final ProxyContext context;
    private final boolean secure;

    public ProxyChannelInitializer(ProxyContext context, boolean secure) {
        this.context = context;
        this.secure = secure;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (secure) {
            // The store is read at each handshake, so a certificate published meanwhile is used at once.
            ch.pipeline().addLast(new SniHandler(host -> context.certificates().select(host)));
        }
        ch.pipeline().addLast(new ExchangeRecord(), new RequestDecoder(), new FrontendHandler(context, secure));
    }
}
