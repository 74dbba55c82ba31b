package io.swarmgate.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
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
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 client that shows the frames of an answer, trailers included (the JDK's client hides them): over TLS with
 * ALPN h2, one connection, one request per {@link #exchange}.
 */
public final class Http2FrameClient implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel connection;

    /** What came back on a stream: every HEADERS frame's list in order, and the DATA bytes (and as UTF-8 text). */
    public record Answer(List<Http2Headers> headers, byte[] content) {
        public String body() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    public Http2FrameClient(int port) throws Exception {
        SslContext tls = SslContextBuilder.forClient().trustManager(new TrustingManager())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build();
        connection = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc(), "localhost", port),
                                Http2FrameCodecBuilder.forClient().build(),
                                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                    }
                })
                .connect(new InetSocketAddress("127.0.0.1", port)).sync().channel();
    }

    /** Sends a request (headers, then the body if not null) and waits for its stream to end. */
    public Answer exchange(Http2Headers request, String body) throws Exception {
        return exchange(request, body, null);
    }

    /** Sends a request (headers, the body if not null, trailing fields if not null) and waits for its stream to end. */
    public Answer exchange(Http2Headers request, String body, Http2Headers trailers) throws Exception {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        List<Http2Headers> headers = new CopyOnWriteArrayList<>();
        ByteBuf received = Unpooled.buffer();
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        boolean end = false;
                        if (msg instanceof Http2HeadersFrame frame) {
                            headers.add(frame.headers());
                            end = frame.isEndStream();
                        } else if (msg instanceof Http2DataFrame frame) {
                            received.writeBytes(frame.content());
                            end = frame.isEndStream();
                        }
                        ReferenceCountUtil.release(msg);
                        if (end) {
                            answer.complete(new Answer(headers, ByteBufUtil.getBytes(received)));
                            received.release();
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        if (!answer.isDone()) {
                            received.release();
                        }
                        answer.completeExceptionally(new IllegalStateException("stream closed before its end"));
                    }
                })
                .open().sync().getNow();
        stream.write(new DefaultHttp2HeadersFrame(request, body == null && trailers == null));
        if (body != null) {
            stream.write(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8),
                    trailers == null));
        }
        if (trailers != null) {
            stream.write(new DefaultHttp2HeadersFrame(trailers, true));
        }
        stream.flush();
        return answer.get(10, TimeUnit.SECONDS);
    }

    /**
     * Opens a stream with a request whose body the caller streams ({@link Call#send}); what comes back is queued frame
     * by frame as it arrives.
     */
    public Call open(Http2Headers request) throws Exception {
        Call call = new Call();
        call.stream = new Http2StreamChannelBootstrap(connection).handler(call).open().sync().getNow();
        call.stream.writeAndFlush(new DefaultHttp2HeadersFrame(request, false)).sync();
        return call;
    }

    /**
     * A streamed call: {@link #next} takes what came back in order, a header list, a DATA frame's text, a {@link Reset}
     * or {@link #CLOSED} when the stream ended without either.
     */
    public static final class Call extends ChannelInboundHandlerAdapter {
        /** The stream closed, with nothing more. */
        public static final Object CLOSED = "closed";
        private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private Http2StreamChannel stream;

        /** A reset of the stream, with its error code. */
        public record Reset(long errorCode) {
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2HeadersFrame frame) {
                received.add(frame.headers());
            } else if (msg instanceof Http2DataFrame frame && frame.content().isReadable()) {
                received.add(frame.content().toString(StandardCharsets.UTF_8));
            }
            ReferenceCountUtil.release(msg);
        }

        /** Netty's multiplexer hands a stream its RST_STREAM as an event, then closes it. */
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof Http2ResetFrame reset) {
                received.add(new Reset(reset.errorCode()));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            received.add(CLOSED);
        }

        /** Sends a DATA frame, ending the request with it if {@code end}. */
        public void send(String data, boolean end) throws Exception {
            stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(data, StandardCharsets.UTF_8), end))
                    .sync();
        }

        /** Resets the stream (CANCEL), as a client that gives up on a call does. */
        public void reset() throws Exception {
            stream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL)).sync();
        }

        /** What came back next, waiting up to 10 s for it. */
        public Object next() throws Exception {
            Object next = received.poll(10, TimeUnit.SECONDS);
            if (next == null) {
                throw new IllegalStateException("nothing came back within 10 s");
            }
            return next;
        }
    }

    /** Opens a stream with a request that has no body, ignoring what comes back; the caller may reset it. */
    public Http2StreamChannel send(Http2Headers request) throws Exception {
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                    }
                })
                .open().sync().getNow();
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(request, true)).sync();
        return stream;
    }

    @Override
    public void close() {
        connection.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
