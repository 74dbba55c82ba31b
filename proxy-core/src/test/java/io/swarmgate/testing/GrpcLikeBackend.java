package io.swarmgate.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An h2c server (HTTP/2 without TLS, prior knowledge) that answers as a gRPC server does: headers, the request body
 * echoed as DATA, then trailers with {@code grpc-status: 0}; a path ending in {@code /Missing} gets a headers-only
 * answer with {@code grpc-status: 12}. A path ending in {@code /Stream} streams both ways: headers at once, each DATA
 * echoed as it comes ({@code echo:} before it), trailers at the request's end; {@code /Reset} resets the stream at the
 * first DATA, {@code /Die} closes the connection after echoing it. It keeps the header lists it received (trailers
 * too) and counts the calls that ended unfinished, reset or cut off by the client's side.
 */
public final class GrpcLikeBackend implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;
    private final List<Http2Headers> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger cancelled = new AtomicInteger();

    public GrpcLikeBackend() {
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                                new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                                    @Override
                                    protected void initChannel(Http2StreamChannel stream) {
                                        stream.pipeline().addLast(new Call());
                                    }
                                }));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The header lists of the requests received, in order. */
    public List<Http2Headers> requests() {
        return requests;
    }

    /** Calls whose stream was reset or closed by the proxy's side before the request ended. */
    public int cancelled() {
        return cancelled.get();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One call: collects the request, answers at its end. */
    private final class Call extends ChannelInboundHandlerAdapter {
        private final ByteBuf body = Unpooled.buffer();
        private String method = "";
        private boolean missing;
        private boolean answered;
        private boolean requestEnded;

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (!answered) {
                body.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!requestEnded) {
                cancelled.incrementAndGet();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean end = false;
            if (msg instanceof Http2HeadersFrame headers) {
                requests.add(headers.headers());
                if (headers.headers().path() != null) {
                    String path = headers.headers().path().toString();
                    method = path.substring(path.lastIndexOf('/') + 1);
                    missing = method.equals("Missing");
                    if (!method.equals("Say") && !missing) {
                        ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                                .add("content-type", "application/grpc")));
                    }
                }
                end = headers.isEndStream();
            } else if (msg instanceof Http2DataFrame data) {
                end = data.isEndStream();
                if (method.equals("Say") || missing) {
                    body.writeBytes(data.content());
                } else if (data.content().isReadable()) {
                    streamed(ctx, data.content().toString(StandardCharsets.UTF_8));
                }
            } else if (msg instanceof Http2ResetFrame) {
                cancelled.incrementAndGet();
                requestEnded = true;
            }
            ReferenceCountUtil.release(msg);
            if (!end) {
                return;
            }
            requestEnded = true;
            if (!method.equals("Say") && !missing) {
                body.release();
                answered = true;
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("grpc-status", "0"), true));
                return;
            }
            answered = true;
            if (missing) {
                body.release();
                ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                        .add("content-type", "application/grpc").add("grpc-status", "12"), true));
                return;
            }
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
                    .add("content-type", "application/grpc")));
            ctx.write(new DefaultHttp2DataFrame(body));
            ctx.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("grpc-status", "0")
                    .add("grpc-message", "ok"), true));
        }

        /** A streamed call's DATA: echoed at once, or the stream reset, or the connection closed after the echo. */
        private void streamed(ChannelHandlerContext ctx, String message) {
            if (method.equals("Reset")) {
                requestEnded = true;
                ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR));
                return;
            }
            ByteBuf echo = Unpooled.copiedBuffer("echo:" + message, StandardCharsets.UTF_8);
            ChannelFuture echoed = ctx.writeAndFlush(new DefaultHttp2DataFrame(echo));
            if (method.equals("Die")) {
                requestEnded = true;
                echoed.addListener(written -> ((Http2StreamChannel) ctx.channel()).parent().close());
            }
        }
    }
}
