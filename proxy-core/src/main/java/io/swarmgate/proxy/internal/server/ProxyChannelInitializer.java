package io.swarmgate.proxy.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.swarmgate.proxy.acme.AcmeChallenges;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.front.FrontendHandler;
import io.swarmgate.proxy.internal.front.Http2Drain;
import io.swarmgate.proxy.internal.front.Http2Front;
import io.swarmgate.proxy.internal.http1.RequestDecoder;
import io.swarmgate.proxy.internal.http2.Http2Connections;
import io.swarmgate.proxy.internal.io.FlushWhenWritten;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of a client connection: on a listener with {@code accept-proxy} first the PROXY protocol header; on a
 * TLS listener the handshake, with the certificate its SNI names, then the
 * protocol ALPN chose; on a plain one HTTP/1.1, or with h2c whichever the first bytes show. HTTP/1.1 is the request
 * decoder and the proxying handler; HTTP/2 is Netty's connection handler with
 * the same exchange on {@code Http2Lane}s, one per stream open at once.
 *
 * <p>One per listener, shared by its connections: it puts their handlers in place and takes itself out. Not Netty's
 * {@code ChannelInitializer}, which records every connection in a map shared by the event loops and schedules a task
 * to forget it, an allocation and two contended updates per connection.
 *
 * <p>Internal: public for {@code proxy} only.
 */
@ChannelHandler.Sharable
public final class ProxyChannelInitializer extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ProxyChannelInitializer.class);

    private final ProxyContext context;
    private final boolean secure;
    private final boolean h2c;
    private final boolean proxyProtocol;

    /**
     * @param h2c           whether a plain listener also serves HTTP/2 to clients that start with its preface
     * @param proxyProtocol whether each connection starts with a PROXY protocol header ({@code accept-proxy})
     */
    public ProxyChannelInitializer(ProxyContext context, boolean secure, boolean h2c, boolean proxyProtocol) {
        this.context = context;
        this.secure = secure;
        this.h2c = h2c;
        this.proxyProtocol = proxyProtocol;
    }

    /** Called once the connection is registered with its event loop, before it is active. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove(this);
        try {
            if (proxyProtocol) {
                pipeline.addLast(new HAProxyMessageDecoder(),
                        new ProxyProtocolHeader(this, context.httpRequestTimeoutNanos));
                return;
            }
            addProtocols(pipeline);
        } catch (RuntimeException e) {
            log.warn("Closing a client connection that could not be set up", e);
            ctx.channel().close();
        }
    }

    /** TLS and the HTTP versions, as the listener serves them. */
    void addProtocols(ChannelPipeline pipeline) {
        if (secure) {
            pipeline.addLast(new Handshake(context), new FlushWhenWritten());
            if (context.certificates().policy().http2()) {
                pipeline.addLast(new ProtocolNegotiation(this));
                return;
            }
        } else if (h2c) {
            pipeline.addLast(new PriorKnowledge(this, context.httpRequestTimeoutNanos));
            return;
        }
        addHttp1(pipeline);
    }

    void addHttp1(ChannelPipeline pipeline) {
        RequestDecoder decoder = new RequestDecoder();
        pipeline.addLast(decoder, new FrontendHandler(context, secure, decoder));
    }

    void addHttp2(ChannelPipeline pipeline) {
        Http2Connections.install(pipeline, Http2Front.create(context, secure), context.keepAliveTimeoutNanos);
        pipeline.addLast(new Http2Drain(context));
    }

    /**
     * The TLS handshake, with the certificate its SNI names, read from the store at each handshake so that a certificate
     * published meanwhile is used at once. The client hello and then the handshake must each come within the request
     * timeout: the HTTP handlers, which time the request, join only once the protocol is known.
     */
    private static final class Handshake extends SniHandler {
        private final long timeoutMillis;
        private final AcmeChallenges challenges;
        /** The client hello offers {@code acme-tls/1} alone: a CA validating a TLS-ALPN-01 challenge. */
        private boolean acmeValidation;

        Handshake(ProxyContext context) {
            super(host -> context.certificates().select(host),
                    TimeUnit.NANOSECONDS.toMillis(context.httpRequestTimeoutNanos));
            this.timeoutMillis = TimeUnit.NANOSECONDS.toMillis(context.httpRequestTimeoutNanos);
            this.challenges = context.challenges;
        }

        @Override
        protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) throws Exception {
            acmeValidation = challenges.awaitsTlsAlpn01()
                    && ClientHelloAlpn.offersOnly(clientHello, AcmeChallenges.ACME_TLS_1);
            return super.lookup(ctx, clientHello);
        }

        @Override
        protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) throws Exception {
            SslContext validation = acmeValidation ? challenges.tlsAlpn01Context(hostname) : null;
            return validation != null ? ctx.executor().newSucceededFuture(validation) : super.lookup(ctx, hostname);
        }

        @Override
        protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
            SslHandler handler = super.newSslHandler(context, allocator);
            handler.setHandshakeTimeoutMillis(timeoutMillis);
            return handler;
        }
    }
}
