package io.swarmgate.proxy.internal.http3;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http3.DefaultHttp3SettingsFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3SettingsFrame;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.Quic;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import java.util.concurrent.TimeUnit;

/**
 * The QUIC codec of a TLS port's UDP side, with the limits HTTP/2 connections have: streams open at once, windows of
 * HTTP/2's size, field sections no larger than HTTP/2's header lists, and the idle timeout. Flow control is QUIC's:
 * a stream whose exchange stops reading is not read, so its window is not given back and the client stops. The
 * client keeps its address (no active migration), and early data (0-RTT) is refused by the TLS context.
 */
public final class QuicServerCodec {
    /** Request streams a client may have open at once on one connection, as for HTTP/2. */
    public static final int MAX_CONCURRENT_STREAMS = 128;
    /** A stream's receive window: HTTP/2's initial window. */
    static final long STREAM_WINDOW = Http2CodecUtil.DEFAULT_WINDOW_SIZE;
    /**
     * The connection's receive window: enough for 16 streams' windows at once. What a connection buffers before the
     * proxy reads it is bounded by it.
     */
    static final long CONNECTION_WINDOW = 16 * STREAM_WINDOW;
    /** As HTTP/2's SETTINGS_MAX_HEADER_LIST_SIZE; the HTTP/1.1 head's own limits apply after. */
    static final long MAX_FIELD_SECTION_SIZE = 64 * 1024;
    /**
     * The largest UDP payload the proxy takes (QUIC's max_udp_payload_size): an Ethernet frame's, more than clients
     * send (1200-1350 bytes), so that datagrams can be read many at once into slots of this size.
     */
    public static final int MAX_UDP_PAYLOAD = 1500;
    /**
     * Datagrams of one connection sent in one system call, segmented by the kernel (UDP GSO, epoll only): one call
     * per datagram cost a quarter of the proxy's CPU time on an 8 MiB download.
     */
    static final int DATAGRAMS_PER_SEND = 16;
    /** HTTP/3's control and QPACK streams, each way. */
    private static final int UNIDIRECTIONAL_STREAMS = 3;

    private QuicServerCodec() {
    }

    /** Whether QUIC's native library loads here (linux x86_64 and aarch64 are shipped). */
    public static boolean available() {
        return Quic.isAvailable();
    }

    /** Why it does not load, for the log. */
    public static String unavailability() {
        Throwable cause = Quic.unavailabilityCause();
        return cause == null ? "unknown" : cause.toString();
    }

    /** HTTP/3's settings: a bounded field section, QPACK's dynamic table off (Netty's default). */
    public static Http3SettingsFrame settings() {
        DefaultHttp3SettingsFrame settings = new DefaultHttp3SettingsFrame();
        settings.put(Http3SettingsFrame.HTTP3_SETTINGS_MAX_FIELD_SECTION_SIZE, MAX_FIELD_SECTION_SIZE);
        return settings;
    }

    /**
     * The codec for a UDP channel; {@code connections} initializes each QUIC connection.
     *
     * @param idleTimeoutNanos how long a connection may stay silent before it is closed
     * @param epoll            whether the channel is epoll's, which sends segmented datagrams where the kernel can
     */
    public static ChannelHandler build(QuicCertificates certificates, long idleTimeoutNanos,
                                       ChannelHandler connections, boolean epoll) {
        QuicServerCodecBuilder builder = Http3.newQuicServerCodecBuilder();
        if (epoll) {
            builder.option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR,
                    EpollQuicUtils.newSegmentedAllocator(DATAGRAMS_PER_SEND));
        }
        return builder
                .sslEngineProvider(certificates::newEngine)
                .maxRecvUdpPayloadSize(MAX_UDP_PAYLOAD)
                .maxIdleTimeout(idleTimeoutNanos, TimeUnit.NANOSECONDS)
                .initialMaxData(CONNECTION_WINDOW)
                .initialMaxStreamDataBidirectionalRemote(STREAM_WINDOW)
                .initialMaxStreamDataBidirectionalLocal(STREAM_WINDOW)
                .initialMaxStreamDataUnidirectional(STREAM_WINDOW)
                .initialMaxStreamsBidirectional(MAX_CONCURRENT_STREAMS)
                .initialMaxStreamsUnidirectional(UNIDIRECTIONAL_STREAMS)
                .activeMigration(false)
                // No token handler, so no Retry round trip: quiche sends an address it has not validated at most
                // three times what came from it.
                .handler(connections)
                .build();
    }
}
