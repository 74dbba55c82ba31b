package io.swarmgate.proxy.internal.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * On a plain listener with h2c: a connection whose first bytes are HTTP/2's preface is served as HTTP/2 (prior
 * knowledge, RFC 9113 §3.3), any other as HTTP/1.1. Decided at the first byte that differs, so HTTP/1.1 requests wait
 * for nothing; a client that sends nothing at all is closed after the request timeout.
 */
final class PriorKnowledge extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    private final ProxyChannelInitializer protocols;
    private final long timeoutNanos;
    private ScheduledFuture<?> timeout;

    PriorKnowledge(ProxyChannelInitializer protocols, long timeoutNanos) {
        this.protocols = protocols;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        timeout = ctx.executor().schedule(() -> ctx.close(), timeoutNanos, TimeUnit.NANOSECONDS);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
        boolean preface = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, length);
        if (preface && length < PREFACE.readableBytes()) {
            return; // so far it may be either
        }
        timeout.cancel(false);
        if (preface) {
            protocols.addHttp2(ctx.pipeline());
        } else {
            protocols.addHttp1(ctx.pipeline());
            ctx.fireChannelActive();
        }
        // The bytes read so far go to the handlers just added.
        ctx.pipeline().remove(this);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }
}
