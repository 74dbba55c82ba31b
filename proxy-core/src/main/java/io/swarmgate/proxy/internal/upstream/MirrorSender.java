package io.swarmgate.proxy.internal.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.swarmgate.proxy.upstream.Backend;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends copies of requests to a mirror backend, each on a connection of its own, and forgets them: the answer is read
 * only to know it came, then the connection is closed. Nothing of it reaches the client's exchange, which has already
 * moved on. An event loop has at most {@link #MAX_IN_FLIGHT} copies in flight, each for at most its deadline, so a
 * mirror that hangs costs bounded connections and memory; a copy over the bound is not sent. Confined to its loop.
 *
 * <p>Internal: public for {@code context} and {@code exchange} only.
 */
public final class MirrorSender {
    /** Copies in flight per event loop. */
    public static final int MAX_IN_FLIGHT = 64;

    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final long deadlineNanos;
    private int inFlight;

    public MirrorSender(EventLoop loop, PoolSettings settings, long deadlineNanos) {
        this.loop = loop;
        this.deadlineNanos = deadlineNanos;
        this.bootstrap = settings.bootstrap(loop)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(FirstAnswerCloses.INSTANCE);
                    }
                });
    }

    /**
     * Sends the request's bytes (its head as the backend gets it, then its body) to {@code mirror}, taking them over;
     * returns false, releasing them, when the loop has too many copies in flight already.
     *
     * @param failed told, on the loop, when the copy could not be sent or had no answer before its deadline
     */
    public boolean send(Backend mirror, List<ByteBuf> request, Runnable failed) {
        if (inFlight >= MAX_IN_FLIGHT) {
            request.forEach(ByteBuf::release);
            return false;
        }
        inFlight++;
        new Copy(bootstrap.connect(mirror.address()), request, failed);
        return true;
    }

    /** One copy on its way: it fails once at most, by its connect or its deadline. */
    private final class Copy {
        private final Runnable failed;
        private boolean over;

        Copy(ChannelFuture connecting, List<ByteBuf> request, Runnable failed) {
            this.failed = failed;
            Channel channel = connecting.channel();
            ScheduledFuture<?> deadline = loop.schedule(() -> {
                fail();
                channel.close();
            }, deadlineNanos, TimeUnit.NANOSECONDS);
            // Closed before its deadline, answered or not: no failure to tell of then.
            channel.closeFuture().addListener(closed -> {
                inFlight--;
                deadline.cancel(false);
            });
            connecting.addListener(connected -> {
                if (!connected.isSuccess()) {
                    request.forEach(ByteBuf::release);
                    fail();
                    return;
                }
                request.forEach(channel::write);
                channel.flush();
            });
        }

        private void fail() {
            if (!over) {
                over = true;
                failed.run();
            }
        }
    }

    /** The mirror's answer is not read: its first bytes say it came, and the connection is closed. */
    @ChannelHandler.Sharable
    private static final class FirstAnswerCloses extends ChannelInboundHandlerAdapter {
        static final FirstAnswerCloses INSTANCE = new FirstAnswerCloses();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
