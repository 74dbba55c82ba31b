package io.swarmgate.proxy.internal.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.swarmgate.proxy.internal.exchange.Downstream;
import io.swarmgate.proxy.internal.exchange.ExchangeRecord;
import io.swarmgate.proxy.internal.exchange.LocalAnswer;
import io.swarmgate.proxy.internal.exchange.ResponseWriter;
import io.swarmgate.proxy.internal.http1.RequestDecoder;

/**
 * An HTTP/1.1 client connection: the frontend's place in the connection's pipeline, after its request decoder. Every
 * byte the proxy writes to the client goes through here, and is counted in the connection's record.
 */
final class ChannelDownstream implements Downstream {
    private final ChannelHandlerContext ctx;
    private final RequestDecoder decoder;
    private final ExchangeRecord record;

    ChannelDownstream(ChannelHandlerContext ctx, RequestDecoder decoder, ExchangeRecord record) {
        this.ctx = ctx;
        this.decoder = decoder;
        this.record = record;
    }

    @Override
    public ResponseWriter responseWriter() {
        return new Http1ResponseWriter(this);
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public Object localAnswer(LocalAnswer answer, boolean keepAlive) {
        return answer.http1(ctx.alloc(), keepAlive);
    }

    @Override
    public void write(Object msg) {
        count(msg);
        ctx.write(msg, ctx.voidPromise());
    }

    @Override
    public void writeAndFlush(Object msg) {
        count(msg);
        ctx.writeAndFlush(msg, ctx.voidPromise());
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void closeAfterWriting(Object lastMessage) {
        count(lastMessage);
        ctx.writeAndFlush(lastMessage).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void close() {
        ctx.close();
    }

    @Override
    public boolean isWritable() {
        return ctx.channel().isWritable();
    }

    @Override
    public boolean reading() {
        return ctx.channel().config().isAutoRead();
    }

    @Override
    public void reading(boolean read) {
        ctx.channel().config().setAutoRead(read);
    }

    @Override
    public void resumeDecoding() {
        // Outside the handling of the current message: the decoder hands on what arrived meanwhile.
        ctx.channel().eventLoop().execute(() -> decoder.resume(ctx.channel()));
    }

    @Override
    public void tunnel() {
        ctx.channel().eventLoop().execute(() -> decoder.tunnel(ctx.channel()));
    }

    private void count(Object msg) {
        if (msg instanceof ByteBuf bytes) {
            record.sent(bytes.readableBytes());
        }
    }
}
