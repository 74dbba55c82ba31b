package io.swarmgate.proxy.internal.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.front.Http3Connection;
import io.swarmgate.proxy.internal.http3.QuicCertificates;
import io.swarmgate.proxy.internal.http3.QuicServerCodec;
import io.swarmgate.proxy.internal.io.Buffers;
import io.swarmgate.proxy.internal.io.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/3 on the UDP side of TLS ports: a QUIC codec on a UDP channel bound to each port's number, serving the same
 * certificates (chosen by SNI from the same store at each handshake) and the same routes as the TCP side.
 *
 * <p>Internal: public for {@code proxy} only.
 */
public final class Http3Listeners {
    /**
     * The UDP socket's receive buffer (the kernel caps it at net.core.rmem_max). With the default (208 KiB), a burst
     * of a bulk upload that arrives while the event loop waits for a core overflows it: the datagrams are dropped,
     * QUIC takes them for congestion, resends and halves its window.
     */
    static final int RECEIVE_BUFFER = 4 * 1024 * 1024;
    /**
     * Datagrams read in one system call (recvmmsg, epoll only), each into a slot of QUIC's largest payload: one call
     * per datagram cost a third of the proxy's CPU time on an 8 MiB upload.
     */
    static final int DATAGRAMS_PER_READ = 16;

    private final ProxyContext context;
    private final EventLoopGroup workers;
    private final QuicCertificates certificates;
    private final List<Channel> channels = new ArrayList<>();

    public Http3Listeners(ProxyContext context, EventLoopGroup workers) {
        this.context = context;
        this.workers = workers;
        this.certificates = new QuicCertificates(context::certificates);
    }

    /** Whether QUIC's native library loads here. */
    public static boolean available() {
        return QuicServerCodec.available();
    }

    /** Why it does not, for the log. */
    public static String unavailability() {
        return QuicServerCodec.unavailability();
    }

    /** Binds the UDP side of a TLS port; returns once it receives. */
    public void bind(String address, int port) {
        boolean epoll = context.transport() == Transport.EPOLL;
        Bootstrap bootstrap = new Bootstrap()
                .group(workers)
                .channel(context.transport().datagramChannel())
                .option(ChannelOption.ALLOCATOR, Buffers.ALLOCATOR)
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER);
        if (epoll) {
            bootstrap.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, QuicServerCodec.MAX_UDP_PAYLOAD)
                    .option(ChannelOption.RCVBUF_ALLOCATOR,
                            new FixedRecvByteBufAllocator(QuicServerCodec.MAX_UDP_PAYLOAD * DATAGRAMS_PER_READ));
        }
        channels.add(bootstrap
                .handler(QuicServerCodec.build(certificates, context.keepAliveTimeoutNanos,
                        Http3Connection.initializer(context), epoll))
                .bind(new InetSocketAddress(address, port)).syncUninterruptibly()
                .channel());
    }

    /** The bound UDP ports, in the order they were bound. */
    public List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        for (Channel channel : channels) {
            ports.add(((InetSocketAddress) channel.localAddress()).getPort());
        }
        return ports;
    }

    /** Stops receiving: the QUIC connections end with their channel. */
    public void close() {
        for (Channel channel : channels) {
            channel.close().syncUninterruptibly();
        }
        channels.clear();
    }
}
