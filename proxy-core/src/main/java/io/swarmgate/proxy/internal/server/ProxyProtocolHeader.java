package io.swarmgate.proxy.internal.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.swarmgate.proxy.internal.io.ClientAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a listener with {@code accept-proxy}: waits for the PROXY protocol header that Netty's
 * {@code HAProxyMessageDecoder} before it decodes (v1 or v2), keeps the client address it carries, then sets the
 * connection up as any other and lets it begin. A malformed header makes the decoder close the connection; a client
 * that sends no header within the request timeout is closed too. A {@code LOCAL} header (a load balancer's health
 * check) or one of an unknown family keeps the connection's own address.
 */
final class ProxyProtocolHeader extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ProxyProtocolHeader.class);

    private final ProxyChannelInitializer protocols;
    private final long timeoutNanos;
    private ScheduledFuture<?> timeout;

    ProxyProtocolHeader(ProxyChannelInitializer protocols, long timeoutNanos) {
        this.protocols = protocols;
        this.timeoutNanos = timeoutNanos;
    }

    /** Not passed on: the connection begins for the HTTP handlers once its header is read. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> ctx.close(), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            InetSocketAddress client = client(header);
            if (client != null) {
                ClientAddress.proxied(ctx.channel(), client);
            }
        } finally {
            header.release();
        }
        timeout.cancel(false);
        // The bytes after the header reach the handlers added here, when the decoder removes itself.
        protocols.addProtocols(ctx.pipeline());
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }

    private static InetSocketAddress client(HAProxyMessage header) {
        if (header.command() != HAProxyCommand.PROXY) {
            return null;
        }
        HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
        if (family != HAProxyProxiedProtocol.AddressFamily.AF_IPv4
                && family != HAProxyProxiedProtocol.AddressFamily.AF_IPv6) {
            return null;
        }
        // An IP literal, checked by the decoder: no name lookup.
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return address == null ? null : new InetSocketAddress(address, header.sourcePort());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("Closing a connection without a valid PROXY protocol header from {}: {}",
                ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
