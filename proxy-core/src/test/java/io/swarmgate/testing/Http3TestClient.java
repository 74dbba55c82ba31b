package io.swarmgate.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.DefaultHttp3HeadersFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ClientConnectionHandler;
import io.netty.handler.codec.http3.Http3DataFrame;
import io.netty.handler.codec.http3.Http3Headers;
import io.netty.handler.codec.http3.Http3HeadersFrame;
import io.netty.handler.codec.http3.Http3RequestStreamInboundHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;

/**
 * A Netty HTTP/3 client over a real UDP socket on loopback, trusting any certificate and asking for a host by SNI: one
 * QUIC connection, any number of request streams on it.
 */
public final class Http3TestClient implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel udp;
    private final QuicChannel quic;
    private final String host;
    private final int port;
    private final CompletableFuture<QuicConnectionCloseEvent> closed = new CompletableFuture<>();

    /** An answer: its head, its body, its trailers if any. */
    public record Response(Http3Headers headers, byte[] body, Http3Headers trailers) {
        public int status() {
            return Integer.parseInt(headers.status().toString());
        }

        public String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        public String header(String name) {
            CharSequence value = headers.get(name);
            return value == null ? null : value.toString();
        }
    }

    private Http3TestClient(String host, int port, KeyManager keys) throws Exception {
        this.host = host;
        this.port = port;
        QuicSslContextBuilder builder = QuicSslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocols(Http3.supportedApplicationProtocols());
        QuicSslContext tls = (keys == null ? builder : builder.keyManager(keys, null)).build();
        udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                // As the proxy's: the default drops a download's bursts when the loop waits for a core.
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .handler(Http3.newQuicClientCodecBuilder()
                        .sslEngineProvider(channel -> tls.newEngine(channel.alloc(), host, port))
                        .maxIdleTimeout(30, TimeUnit.SECONDS)
                        .initialMaxData(64L * 1024 * 1024)
                        .initialMaxStreamDataBidirectionalLocal(8L * 1024 * 1024)
                        .initialMaxStreamDataBidirectionalRemote(8L * 1024 * 1024)
                        .initialMaxStreamsBidirectional(1000)
                        .initialMaxStreamsUnidirectional(100)
                        .build())
                .bind(0).sync().channel();
        quic = QuicChannel.newBootstrap(udp)
                .handler(new ChannelInitializer<QuicChannel>() {
                    @Override
                    protected void initChannel(QuicChannel channel) {
                        channel.pipeline().addLast(new Http3ClientConnectionHandler(), new CloseWatcher());
                    }
                })
                .remoteAddress(new InetSocketAddress("127.0.0.1", port))
                .connect().get(10, TimeUnit.SECONDS);
    }

    /** Connects to the proxy's UDP port, asking for {@code host} by SNI. */
    public static Http3TestClient connect(String host, int port) throws Exception {
        return new Http3TestClient(host, port, null);
    }

    /** As {@link #connect(String, int)}, showing this client certificate when the server asks for one. */
    public static Http3TestClient connect(String host, int port, PrivateKey key, X509Certificate certificate)
            throws Exception {
        return new Http3TestClient(host, port, new ShownCertificate(key, certificate));
    }

    /** How the server closed the connection, once it has. */
    public CompletableFuture<QuicConnectionCloseEvent> closedByServer() {
        return closed;
    }

    public QuicChannel connection() {
        return quic;
    }

    /** The certificate the server showed. */
    public Certificate serverCertificate() throws Exception {
        return quic.sslEngine().getSession().getPeerCertificates()[0];
    }

    public CompletableFuture<Response> get(String path) {
        return send("GET", path, null, headers -> { });
    }

    public CompletableFuture<Response> post(String path, byte[] body) {
        return send("POST", path, body, headers -> headers.addInt("content-length", body.length));
    }

    /** Sends a request (with {@code body}, or none) and ends the stream; the answer completes the future. */
    public CompletableFuture<Response> send(String method, String path, byte[] body, Consumer<Http3Headers> fields) {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        quic.eventLoop().execute(() -> Http3.newRequestStream(quic, new Collector(answer)).addListener(f -> {
            if (!f.isSuccess()) {
                answer.completeExceptionally(f.cause());
                return;
            }
            QuicStreamChannel stream = (QuicStreamChannel) f.getNow();
            Http3Headers headers = new DefaultHttp3Headers().method(method).path(path).scheme("https")
                    .authority(host + ":" + port);
            fields.accept(headers);
            ChannelFuture last = stream.write(new DefaultHttp3HeadersFrame(headers));
            if (body != null) {
                for (int offset = 0; offset < body.length; offset += 16 * 1024) {
                    int length = Math.min(16 * 1024, body.length - offset);
                    last = stream.write(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(body, offset, length)));
                }
            }
            // The FIN once the last frame is written: sent earlier, it would cut off what waits for the window.
            last.addListener(QuicStreamChannel.SHUTDOWN_OUTPUT);
        }));
        return answer;
    }

    /**
     * Opens a stream and hands it to {@code use} on the connection's event loop, its answer collected into the future
     * as {@link #send} does: for requests that write their own frames, stop reading or reset.
     */
    public CompletableFuture<Response> open(Consumer<QuicStreamChannel> use) {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        quic.eventLoop().execute(() -> Http3.newRequestStream(quic, new Collector(answer)).addListener(f -> {
            if (f.isSuccess()) {
                use.accept((QuicStreamChannel) f.getNow());
            } else {
                answer.completeExceptionally(f.cause());
            }
        }));
        return answer;
    }

    @Override
    public void close() {
        quic.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        udp.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Keeps the server's CONNECTION_CLOSE. */
    private final class CloseWatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof QuicConnectionCloseEvent close) {
                closed.complete(close);
            }
            ctx.fireUserEventTriggered(event);
        }
    }

    /** Collects a stream's answer; a reset or a stream closed before FIN fails the future. */
    private static final class Collector extends Http3RequestStreamInboundHandler {
        private final CompletableFuture<Response> answer;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private Http3Headers head;
        private Http3Headers trailers;

        Collector(CompletableFuture<Response> answer) {
            this.answer = answer;
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3HeadersFrame frame) {
            if (head == null || head.status().charAt(0) == '1') {
                head = frame.headers();
            } else {
                trailers = frame.headers();
            }
        }

        @Override
        protected void channelRead(ChannelHandlerContext ctx, Http3DataFrame frame) {
            ByteBuf content = frame.content();
            body.writeBytes(ByteBufUtil.getBytes(content));
            frame.release();
        }

        @Override
        protected void channelInputClosed(ChannelHandlerContext ctx) {
            if (head == null) {
                answer.completeExceptionally(new IllegalStateException("the stream ended without an answer"));
            } else {
                answer.complete(new Response(head, body.toByteArray(), trailers));
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            answer.completeExceptionally(new IllegalStateException("the stream closed before its answer ended"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            answer.completeExceptionally(cause);
            ctx.close();
        }
    }
}
