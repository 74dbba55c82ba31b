package io.swarmgate.proxy.internal.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.swarmgate.proxy.internal.http1.ResponseDecoder;
import io.swarmgate.proxy.internal.http1.ResponseHead;
import io.swarmgate.proxy.internal.io.Buffers;
import io.swarmgate.proxy.internal.io.Transport;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Active health checks of a service's tasks: every few seconds each task is asked for the service's health-check path
 * on a new connection. An answer other than 2xx or 3xx, a refusal or silence ejects the task as a failed request
 * does; a good answer readmits an ejected task at once. Without a path the check is the connection alone
 * ({@code checkTcp}): a task that accepts it is healthy. Checks run only while requests use the service: a minute
 * without one stops them, and the next request starts them again.
 */
final class TaskHealthCheck {
    static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long TIMEOUT_MILLIS = 2000;
    private static final long IDLE_STOP_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final TaskGroup tasks;
    private final Transport transport;
    private final byte[] request;
    private final AtomicBoolean running = new AtomicBoolean();

    /** @param path the path to ask for, or {@code null} to check that a connection opens */
    TaskHealthCheck(TaskGroup tasks, String path, Transport transport) {
        this.tasks = tasks;
        this.transport = transport;
        this.request = path == null ? null : ("GET " + path + " HTTP/1.1\r\nHost: " + tasks.backend().host()
                + "\r\nUser-Agent: swarmgate-health-check\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts the checks on this event loop unless they run already. */
    void ensureRunning(EventLoop loop) {
        if (!running.get() && running.compareAndSet(false, true)) {
            loop.execute(() -> round(loop));
        }
    }

    private void round(EventLoop loop) {
        if (System.nanoTime() - tasks.lastPicked() > IDLE_STOP_NANOS) {
            running.set(false);
            return;
        }
        for (Endpoint endpoint : tasks.endpoints()) {
            probe(loop, endpoint);
        }
        loop.schedule(() -> round(loop), INTERVAL_NANOS, TimeUnit.NANOSECONDS);
    }

    private void probe(EventLoop loop, Endpoint endpoint) {
        Probe probe = new Probe(endpoint, request);
        new Bootstrap().group(loop).channel(transport.socketChannel())
                .option(ChannelOption.ALLOCATOR, Buffers.ALLOCATOR)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ResponseDecoder(), probe);
                    }
                })
                .connect(endpoint.address())
                .addListener(connected -> {
                    if (!connected.isSuccess()) {
                        probe.report(false);
                    }
                });
    }

    /** One check of one task: the first answer's status decides; closing or timing out first is a failure. */
    private static final class Probe extends ChannelInboundHandlerAdapter {
        private final Endpoint endpoint;
        private final byte[] request;
        private boolean reported;
        private ScheduledFuture<?> timeout;

        Probe(Endpoint endpoint, byte[] request) {
            this.endpoint = endpoint;
            this.request = request;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (request == null) {
                report(true);
                ctx.close();
                return;
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(request));
            timeout = ctx.executor().schedule(() -> {
                report(false);
                ctx.close();
            }, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ResponseHead head && !head.informational()) {
                report(head.status() < 400);
                ctx.close();
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            report(false);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        void report(boolean healthy) {
            if (reported) {
                return;
            }
            reported = true;
            if (healthy) {
                endpoint.succeeded();
            } else {
                endpoint.failed(System.nanoTime());
            }
        }
    }
}
