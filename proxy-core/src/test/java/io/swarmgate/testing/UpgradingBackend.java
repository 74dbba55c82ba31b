package io.swarmgate.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real backend that accepts protocol upgrades, for the proxy's upgrade policy:
 * <ul>
 *   <li>{@code Upgrade: h2c} on any path: Netty's {@link HttpServerUpgradeHandler} with its HTTP/2 codec switches to
 *   HTTP/2 and then serves HTTP/2 requests for any path ({@code h2 <path>}). Like Go's, Jetty's and Tomcat's h2c
 *   support, it does not insist that {@code Connection} name {@code HTTP2-Settings}, so that field alone, sent along,
 *   is enough;</li>
 *   <li>a path with {@code /switch-other}: 101 to {@code other}, whatever was asked (or not), then echoes every byte;
 *   </li>
 *   <li>a path with {@code /switch}: 101 to the first protocol the request's {@code Upgrade} names, then echoes every
 *   byte; without an {@code Upgrade} field, the echo below;</li>
 *   <li>anything else: 200 with the request echoed as text (request line, then every header as {@code name: value}).
 *   </li>
 * </ul>
 */
public final class UpgradingBackend implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final AtomicInteger h2cUpgrades = new AtomicInteger();
    private final List<String> http2Paths = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Channel listener;

    private UpgradingBackend() {
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        HttpServerCodec codec = new HttpServerCodec();
                        ch.pipeline().addLast(codec, new HttpServerUpgradeHandler(codec, protocol ->
                                        AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                                                ? new LenientH2c() : null),
                                new HttpObjectAggregator(1 << 20), new Http1());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    public static UpgradingBackend start() {
        return new UpgradingBackend();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** How many connections it switched to HTTP/2 through an h2c upgrade. */
    public int h2cUpgrades() {
        return h2cUpgrades.get();
    }

    /** The paths of the HTTP/2 requests it served. */
    public List<String> http2Paths() {
        return List.copyOf(http2Paths);
    }

    /** Every HTTP/1.1 request it received, echoed as text (upgrade requests it switched for included). */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static String echo(FullHttpRequest request) {
        StringBuilder echo = new StringBuilder(request.method() + " " + request.uri() + " "
                + request.protocolVersion() + "\n");
        for (Map.Entry<String, String> header : request.headers()) {
            echo.append(header.getKey().toLowerCase(Locale.ROOT)).append(": ").append(header.getValue()).append('\n');
        }
        return echo.toString();
    }

    /** Netty's h2c upgrade codec, without its demand that Connection name HTTP2-Settings. */
    private final class LenientH2c implements HttpServerUpgradeHandler.UpgradeCodec {
        private final Http2ServerUpgradeCodec codec = new Http2ServerUpgradeCodec(
                Http2FrameCodecBuilder.forServer().build(), new Http2Requests());

        @Override
        public Collection<CharSequence> requiredUpgradeHeaders() {
            return List.of();
        }

        @Override
        public boolean prepareUpgradeResponse(ChannelHandlerContext ctx, FullHttpRequest request,
                                              io.netty.handler.codec.http.HttpHeaders headers) {
            requests.add(echo(request));
            return codec.prepareUpgradeResponse(ctx, request, headers);
        }

        @Override
        public void upgradeTo(ChannelHandlerContext ctx, FullHttpRequest request) {
            h2cUpgrades.incrementAndGet();
            codec.upgradeTo(ctx, request);
        }
    }

    /** Serves every HTTP/2 request, for any path: what a tunnel past the proxy's rules would reach. */
    private final class Http2Requests extends SimpleChannelInboundHandler<Http2HeadersFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
            String path = String.valueOf(frame.headers().path());
            http2Paths.add(path);
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")).stream(frame.stream()));
            ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer("h2 " + path, StandardCharsets.UTF_8),
                    true).stream(frame.stream()));
        }
    }

    private final class Http1 extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String echo = echo(request);
            requests.add(echo);
            String uri = request.uri();
            if (uri.contains("/switch-other")) {
                switchTo(ctx, "other");
            } else if (uri.contains("/switch") && request.headers().contains(HttpHeaderNames.UPGRADE)) {
                switchTo(ctx, request.headers().get(HttpHeaderNames.UPGRADE).split(",")[0].strip());
            } else {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.copiedBuffer(echo, StandardCharsets.UTF_8));
                HttpUtil.setContentLength(response, response.content().readableBytes());
                ctx.writeAndFlush(response);
            }
        }

        /** Answers 101 below the HTTP codec, then echoes whatever comes. */
        private void switchTo(ChannelHandlerContext ctx, String protocol) {
            ctx.pipeline().firstContext().writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 101 Switching Protocols\r\n"
                    + "Connection: Upgrade\r\nUpgrade: " + protocol + "\r\n\r\n", StandardCharsets.US_ASCII));
            ctx.pipeline().remove(HttpServerCodec.class);
            ctx.pipeline().remove(HttpServerUpgradeHandler.class);
            ctx.pipeline().remove(HttpObjectAggregator.class);
            ctx.pipeline().replace(this, "echo", new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext echoCtx, Object msg) {
                    echoCtx.writeAndFlush((ByteBuf) msg);
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
