package io.swarmgate.proxy.internal.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;

/** After a TLS handshake, serves the protocol the client chose by ALPN: HTTP/2, or HTTP/1.1 (also without ALPN). */
final class ProtocolNegotiation extends ApplicationProtocolNegotiationHandler {
    private final ProxyChannelInitializer protocols;

    ProtocolNegotiation(ProxyChannelInitializer protocols) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.protocols = protocols;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            protocols.addHttp2(ctx.pipeline());
        } else {
            protocols.addHttp1(ctx.pipeline());
            // The HTTP/1.1 handlers join an open connection: they start with it now.
            ctx.fireChannelActive();
        }
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a failed handshake is the client's business, as without ALPN: no log line per attempt
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset before the protocol is known: nothing to answer
    }
}
