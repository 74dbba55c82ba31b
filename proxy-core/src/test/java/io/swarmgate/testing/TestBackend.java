package io.swarmgate.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * A real HTTP backend on a free loopback port, with behaviours chosen by path:
 * <ul>
 *   <li>{@code /slow…}: never answers;</li>
 *   <li>{@code /close…}: closes the connection without answering;</li>
 *   <li>{@code /garbage…}: answers bytes that are not HTTP, then closes;</li>
 *   <li>{@code /download/N}: streams N bytes;</li>
 *   <li>{@code /delay/MS}: the echo below, after MS milliseconds;</li>
 *   <li>{@code /chunked…}: answers {@code hello world} in two chunks, with an {@code X-Checksum} trailer;</li>
 *   <li>{@code /legacy…}: answers as an HTTP/1.0 server, with a body that ends when it closes the connection;</li>
 *   <li>{@code /upload…}: reads the whole body and answers {@code received N};</li>
 *   <li>anything else: 200 with the request echoed as text (request line, then every header as {@code name: value}).</li>
 * </ul>
 * Every answer carries {@code X-Backend: <name>}.
 */
public final class TestBackend implements AutoCloseable {
    private final String name;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<String> hosts = ConcurrentHashMap.newKeySet();
    private final Channel listener;
    private volatile boolean hanging;
    private volatile int failureStatus;

    private TestBackend(String name, InetSocketAddress address) {
        this(name, address, null);
    }

    private TestBackend(String name, InetSocketAddress address, SslContext tls) {
        this.name = name;
        this.listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connectionsOpened.incrementAndGet();
                        connections.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerExpectContinueHandler(), new ChunkedWriteHandler(), new Handler());
                    }
                })
                .bind(address).syncUninterruptibly().channel();
    }

    public static TestBackend start(String name) {
        return new TestBackend(name, new InetSocketAddress("127.0.0.1", 0));
    }

    /** The same backend speaking HTTPS with this certificate. */
    public static TestBackend startTls(String name, ServerCertificate certificate) {
        try {
            return new TestBackend(name, new InetSocketAddress("127.0.0.1", 0),
                    SslContextBuilder.forServer(certificate.key(), certificate.chain()).build());
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Listens on a given address, e.g. one of several loopback addresses sharing a port, as tasks of a service do. */
    public static TestBackend start(String name, String host, int port) {
        return new TestBackend(name, new InetSocketAddress(host, port));
    }

    /** From now on answers every request with this status (an error, say 503), or normally again with 0. */
    public void answerWith(int status) {
        failureStatus = status;
    }

    /** From now on reads requests but never answers them, as a task stuck in a deadlock does. */
    public void hang() {
        hanging = true;
    }

    /** Dies abruptly: stops listening and resets every open connection (RST), as a killed task's host does. */
    public void kill() {
        listener.close().syncUninterruptibly();
        for (Channel connection : connections) {
            connection.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        connections.close().syncUninterruptibly();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public String name() {
        return name;
    }

    public int connectionsOpened() {
        return connectionsOpened.get();
    }

    /**
     * Whether a request with this Host reached the backend: a test that must see none of its requests gives them a
     * Host of their own, so a request another test left in flight cannot make it fail.
     */
    public boolean sawHost(String host) {
        return hosts.contains(host);
    }

    public int requests() {
        return requests.get();
    }

    /** Connections open now (accepted and not yet closed by either side). */
    public int openConnections() {
        return connections.size();
    }

    /** Closes every open connection, as a backend does with idle keep-alive connections. */
    public void closeConnections() {
        connections.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<HttpObject> {
        private HttpRequest request;
        private long bodyBytes;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest r) {
                request = r;
                bodyBytes = 0;
                requests.incrementAndGet();
                String host = r.headers().get(HttpHeaderNames.HOST);
                if (host != null) {
                    hosts.add(host);
                }
                if (hanging) {
                    request = null;
                    return;
                }
                String uri = r.uri();
                if (uri.startsWith("/close")) {
                    ctx.close();
                    return;
                }
                if (uri.startsWith("/legacy")) {
                    writeRawAndClose(ctx, "HTTP/1.0 200 OK\r\nX-Backend: " + name + "\r\n\r\nold-style body");
                    return;
                }
                if (uri.startsWith("/garbage")) {
                    writeRawAndClose(ctx, "NOT HTTP AT ALL\r\n\r\n");
                    return;
                }
            }
            if (msg instanceof HttpContent content) {
                bodyBytes += content.content().readableBytes();
            }
            if (msg instanceof LastHttpContent && request != null && ctx.channel().isActive()) {
                respond(ctx, request);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A proxy that gives up on an exchange may reset its connection: that ends it, nothing to report.
            ctx.close();
        }

        /** Writes bytes below the HTTP codec, as a server that does not speak proper HTTP/1.1 would. */
        private void writeRawAndClose(ChannelHandlerContext ctx, String raw) {
            request = null;
            ctx.pipeline().firstContext().writeAndFlush(Unpooled.copiedBuffer(raw, StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
        }

        private void respond(ChannelHandlerContext ctx, HttpRequest r) {
            String uri = r.uri();
            int status = failureStatus;
            if (status != 0) {
                FullHttpResponse failure = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.valueOf(status), Unpooled.copiedBuffer(name + " failing\n", StandardCharsets.UTF_8));
                failure.headers().set("X-Backend", name);
                HttpUtil.setContentLength(failure, failure.content().readableBytes());
                ctx.writeAndFlush(failure);
                return;
            }
            if (uri.startsWith("/slow")) {
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(r);
            if (uri.startsWith("/download/")) {
                long size = Long.parseLong(uri.substring("/download/".length()));
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set("X-Backend", name);
                HttpUtil.setContentLength(head, size);
                ctx.write(head);
                ctx.writeAndFlush(new HttpChunkedInput(new GeneratedBytes(size)));
                return;
            }
            if (uri.startsWith("/chunked")) {
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers().set("X-Backend", name);
                HttpUtil.setTransferEncodingChunked(head, true);
                ctx.write(head);
                ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer("hello ", StandardCharsets.US_ASCII)));
                LastHttpContent last = new DefaultLastHttpContent(Unpooled.copiedBuffer("world", StandardCharsets.US_ASCII));
                last.trailingHeaders().set("X-Checksum", "42");
                ctx.writeAndFlush(last);
                return;
            }
            if (uri.startsWith("/delay/")) {
                long millis = Long.parseLong(uri.substring("/delay/".length()));
                ctx.executor().schedule(() -> answer(ctx, r, echo(r), keepAlive), millis,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                return;
            }
            answer(ctx, r, uri.startsWith("/upload") ? "received " + bodyBytes : echo(r), keepAlive);
        }

        private String echo(HttpRequest r) {
            StringBuilder echo = new StringBuilder(r.method() + " " + r.uri() + " " + r.protocolVersion() + "\n");
            for (Map.Entry<String, String> header : r.headers()) {
                echo.append(header.getKey().toLowerCase(java.util.Locale.ROOT)).append(": ")
                        .append(header.getValue()).append('\n');
            }
            return echo.toString();
        }

        private void answer(ChannelHandlerContext ctx, HttpRequest r, String body, boolean keepAlive) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set("X-Backend", name).set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            HttpUtil.setContentLength(response, response.content().readableBytes());
            HttpUtil.setKeepAlive(response, keepAlive);
            var written = ctx.writeAndFlush(response);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    /** A body of {@code size} generated bytes, produced as fast as the connection takes them. */
    private static final class GeneratedBytes implements ChunkedInput<ByteBuf> {
        private static final int CHUNK = 64 * 1024;
        private final long size;
        private long produced;

        GeneratedBytes(long size) {
            this.size = size;
        }

        @Override
        public boolean isEndOfInput() {
            return produced >= size;
        }

        @Override
        public void close() {
        }

        @Override
        @Deprecated
        public ByteBuf readChunk(ChannelHandlerContext ctx) {
            return readChunk(ctx.alloc());
        }

        @Override
        public ByteBuf readChunk(io.netty.buffer.ByteBufAllocator allocator) {
            if (isEndOfInput()) {
                return null;
            }
            int n = (int) Math.min(CHUNK, size - produced);
            produced += n;
            ByteBuf chunk = allocator.buffer(n);
            chunk.writerIndex(n);
            return chunk;
        }

        @Override
        public long length() {
            return size;
        }

        @Override
        public long progress() {
            return produced;
        }
    }
}
