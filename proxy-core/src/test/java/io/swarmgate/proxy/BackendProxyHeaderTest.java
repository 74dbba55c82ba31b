package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.ProtocolDetectionState;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.proxy.upstream.ProxyHeader;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A route with {@code backendProxyProtocol}: each new backend connection starts with a PROXY protocol header naming the
 * client's address and port and the proxy's address the client connected to, and no connection that carried one
 * client's header serves another client.
 */
class BackendProxyHeaderTest {
    private static final AttributeKey<String> HEADER = AttributeKey.valueOf("proxyHeader");
    private static final AttributeKey<Integer> NUMBER = AttributeKey.valueOf("connectionNumber");
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();
    private static MultiThreadIoEventLoopGroup group;
    private static Channel backend;

    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().build();

    /** Answers each request with the header its connection began with, and the connection's number. */
    @BeforeAll
    static void startBackend() throws InterruptedException {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        backend = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.attr(NUMBER).set(CONNECTIONS.incrementAndGet());
                        ch.pipeline().addLast(new OptionalHeader(), new SimpleChannelInboundHandler<
                                HAProxyMessage>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, HAProxyMessage header) {
                                ctx.channel().attr(HEADER).set(header.protocolVersion() + " "
                                        + header.sourceAddress() + ":" + header.sourcePort() + " > "
                                        + header.destinationAddress() + ":" + header.destinationPort());
                            }
                        }, new HttpServerCodec(), new HttpObjectAggregator(1024), new SimpleChannelInboundHandler<
                                FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                                String body = ctx.channel().attr(HEADER).get() + " #"
                                        + ctx.channel().attr(NUMBER).get();
                                var answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                                        Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
                                answer.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length());
                                ctx.writeAndFlush(answer);
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    @AfterAll
    static void stopBackend() {
        backend.close().syncUninterruptibly();
        group.shutdownGracefully().syncUninterruptibly();
    }

    private void route(ProxyHeader header) {
        int port = ((InetSocketAddress) backend.localAddress()).getPort();
        proxy.routes(Route.builder("b").path("/demo").backend(Backend.of("127.0.0.1", port).proxyHeader(header))
                .build());
    }

    @Test
    void sendsAVersion1HeaderWithTheClientsAddress() throws IOException {
        route(ProxyHeader.V1);

        try (Client client = new Client("127.0.0.2", proxy.port())) {
            assertThat(client.get()).startsWith("V1 127.0.0.2:" + client.port() + " > 127.0.0.1:" + proxy.port());
        }
    }

    @Test
    void sendsAVersion2HeaderWithTheClientsAddress() throws IOException {
        route(ProxyHeader.V2);

        try (Client client = new Client("127.0.0.1", proxy.port())) {
            assertThat(client.get()).startsWith("V2 127.0.0.1:" + client.port() + " > 127.0.0.1:" + proxy.port());
        }
    }

    @Test
    void neverGivesOneClientsConnectionToAnother() throws IOException {
        route(ProxyHeader.V2);

        try (Client first = new Client("127.0.0.1", proxy.port());
             Client second = new Client("127.0.0.2", proxy.port())) {
            String firstAnswer = first.get();
            String secondAnswer = second.get();
            String firstAgain = first.get();

            assertThat(firstAnswer).startsWith("V2 127.0.0.1:" + first.port() + " ");
            assertThat(secondAnswer).startsWith("V2 127.0.0.2:" + second.port() + " ");
            assertThat(firstAgain).startsWith("V2 127.0.0.1:" + first.port() + " ");
            assertThat(List.of(number(firstAnswer), number(secondAnswer), number(firstAgain))).doesNotHaveDuplicates();
        }
    }

    @Test
    void aRouteWithoutItSendsNoHeaderAndReusesItsConnections() throws IOException {
        int port = ((InetSocketAddress) backend.localAddress()).getPort();
        proxy.routes(Route.builder("b").path("/demo").backend("127.0.0.1", port).build());

        try (Client client = new Client("127.0.0.1", proxy.port())) {
            // The backend's decoder takes a connection without a header for one that has none.
            String first = client.get();
            assertThat(first).startsWith("null #");
            assertThat(number(client.get())).isEqualTo(number(first));
        }
    }

    /** Reads a PROXY protocol header when the connection starts with one, and passes on a connection without. */
    private static final class OptionalHeader extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            ProtocolDetectionState state = HAProxyMessageDecoder.detectProtocol(in).state();
            if (state == ProtocolDetectionState.NEEDS_MORE_DATA) {
                return;
            }
            if (state == ProtocolDetectionState.DETECTED) {
                ctx.pipeline().addAfter(ctx.name(), null, new HAProxyMessageDecoder());
            }
            ctx.pipeline().remove(this);
        }
    }

    private static String number(String answer) {
        return answer.substring(answer.indexOf('#'));
    }

    /** An HTTP/1.1 keep-alive client from a chosen loopback address. */
    private static final class Client implements AutoCloseable {
        private final Socket socket = new Socket();
        private final RawHttpConnection connection;

        Client(String from, int port) throws IOException {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            connection = RawHttpConnection.over(socket);
        }

        int port() {
            return socket.getLocalPort();
        }

        String get() throws IOException {
            RawHttpConnection.Response answer = connection.exchange("GET /demo HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(answer.status()).isEqualTo(200);
            return answer.bodyText();
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }
}
