package io.swarmgate.proxy.internal.front;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.http3.Http3ServerConnectionHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.swarmgate.proxy.internal.context.Drainable;
import io.swarmgate.proxy.internal.context.LoopState;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.exchange.ClientConnection;
import io.swarmgate.proxy.internal.http2.Http2Connections;
import io.swarmgate.proxy.internal.http3.QuicServerCodec;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;

/**
 * An HTTP/3 client connection (a QUIC connection): counted once against maxConnections however many streams it opens,
 * reported to the observer as HTTP/2 connections are, and closed when the server stops once no stream is open on it.
 * Each request stream is an {@link Http3Stream}, behind Netty's HTTP/3 codec.
 *
 * <p>Rapid Reset (CVE-2023-44487) has a QUIC form: a client opens and resets streams as fast as the proxy grants new
 * ones. Streams that end before their answer count against the budget HTTP/2 connections have; past it the connection
 * ends with H3_EXCESSIVE_LOAD.
 *
 * <p>Internal: public for {@code server} only.
 */
public final class Http3Connection extends ChannelInboundHandlerAdapter implements Drainable {
    private final ProxyContext context;
    private ChannelHandlerContext ctx;
    private LoopState loop;
    private int slot = -1;
    private ClientConnection client;
    private SocketAddress clientAddress;
    /** Accepted while the server already had its maximum of client connections: every stream gets a 503. */
    private boolean overLimit;
    private int openStreams;
    private boolean draining;
    private long resetWindowStart = System.nanoTime();
    private int resets;
    /** The connection's first backend answer advertised HTTP/3: see {@link HeaderListStream#altSvcDue}. */
    private boolean altSvcAdvertised;

    private Http3Connection(ProxyContext context) {
        this.context = context;
    }

    /** What a new QUIC connection's pipeline holds: this, and Netty's HTTP/3 codec with a stream for each request. */
    public static ChannelInitializer<QuicChannel> initializer(ProxyContext context) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(QuicChannel channel) {
                Http3Connection connection = new Http3Connection(context);
                channel.pipeline().addLast(connection, new Http3ServerConnectionHandler(
                        new ChannelInitializer<QuicStreamChannel>() {
                            @Override
                            protected void initChannel(QuicStreamChannel stream) {
                                if (connection.streamsAtLimit()) {
                                    stream.shutdown(Http3ErrorCode.H3_REQUEST_REJECTED.code());
                                    return;
                                }
                                stream.pipeline().addLast(new Http3Stream(connection, context));
                            }
                        }, null, null, QuicServerCodec.settings(), true));
            }
        };
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        QuicChannel channel = (QuicChannel) ctx.channel();
        clientAddress = channel.remoteSocketAddress();
        client = new ClientConnection(clientAddress, channel.localSocketAddress(), channel.sslEngine());
        overLimit = !context.clientOpened();
        context.observer.connectionOpened();
        loop = context.loop(channel.eventLoop());
        loop.streamConnections().add(this);
        if (context.draining()) {
            drain();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        loop.streamConnections().remove(this);
        context.observer.connectionClosed();
        context.clientClosed();
    }

    ClientConnection client() {
        return client;
    }

    SocketAddress clientAddress() {
        return clientAddress;
    }

    boolean overLimit() {
        return overLimit;
    }

    /** True the first time only: the answer being written renews the advertisement for the whole connection. */
    boolean altSvcDue() {
        boolean due = !altSvcAdvertised;
        altSvcAdvertised = true;
        return due;
    }

    /**
     * Whether the connection's streams already hold as many exchanges as a client may have streams open. QUIC's
     * stream credit alone does not bound them: quiche gives a stream's credit back once the client has stopped it
     * (STOP_SENDING) and its request was read, while the proxy hears of that only when it next writes, so the
     * exchange may hold its backend until the answer comes. A stream over the limit is refused unread
     * (H3_REQUEST_REJECTED, which tells the client it may retry it).
     */
    boolean streamsAtLimit() {
        return openStreams >= QuicServerCodec.MAX_CONCURRENT_STREAMS;
    }

    void streamOpened() {
        openStreams++;
    }

    void streamClosed() {
        openStreams--;
        if (draining && openStreams == 0) {
            ctx.channel().close();
        }
    }

    /** A stream ended before its answer did: reset by the client, or by the proxy. */
    void streamReset() {
        long now = System.nanoTime();
        if (now - resetWindowStart > TimeUnit.SECONDS.toNanos(Http2Connections.RESET_WINDOW_SECONDS)) {
            resetWindowStart = now;
            resets = 0;
        }
        if (++resets > Http2Connections.MAX_RESETS_PER_WINDOW && ctx.channel().isActive()) {
            ((QuicChannel) ctx.channel()).close(true, Http3ErrorCode.H3_EXCESSIVE_LOAD.code(),
                    ctx.alloc().buffer(0));
        }
    }

    /**
     * A failed handshake is the client's business, as over TCP: no log line. quiche closes the connection itself,
     * with the TLS alert, which closing the channel now would not send.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof SSLHandshakeException)) {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void drain() {
        draining = true;
        if (openStreams == 0) {
            ctx.channel().close();
        }
    }

    @Override
    public int slot() {
        return slot;
    }

    @Override
    public void slot(int slot) {
        this.slot = slot;
    }
}
