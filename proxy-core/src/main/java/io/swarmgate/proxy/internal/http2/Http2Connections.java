package io.swarmgate.proxy.internal.http2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** What every server-side HTTP/2 connection has: its settings, its connection state, and its idle timeout. */
public final class Http2Connections {
    /** Streams a client may have open at once on one connection. */
    static final int MAX_CONCURRENT_STREAMS = 128;
    /**
     * Bounds what a client's header block may decode to (past it the stream gets 431; past 1.25 times it, or in
     * undecoded CONTINUATION frames, the connection ends); the HTTP/1.1 parser's own limits apply after.
     */
    private static final long MAX_HEADER_LIST_SIZE = 64 * 1024;
    /**
     * Rapid Reset (CVE-2023-44487): RST_STREAM frames a client may send, and the proxy may have to send, per window;
     * past either the connection ends with ENHANCE_YOUR_CALM. Netty's defaults, named here.
     */
    public static final int MAX_RESETS_PER_WINDOW = 200;
    public static final int RESET_WINDOW_SECONDS = 30;
    /** PING and SETTINGS floods: acknowledgements (and resets) queued unwritten before the connection ends. */
    public static final int MAX_QUEUED_CONTROL_FRAMES = 10_000;
    /**
     * PING and SETTINGS floods from a client that reads its acknowledgements (or whose socket buffers hold them): the
     * frames a connection may send per window before it ends with ENHANCE_YOUR_CALM.
     */
    public static final int MAX_CONTROL_FRAMES_PER_WINDOW = 1_000;
    public static final int CONTROL_FRAME_WINDOW_SECONDS = 10;
    /** CONTINUATION floods (CVE-2024-27316): CONTINUATION frames under 8 KiB in one header block. */
    public static final int MAX_SMALL_CONTINUATION_FRAMES = 16;
    /** Empty DATA frames in a row that do not end their stream. */
    public static final int MAX_CONSECUTIVE_EMPTY_DATA_FRAMES = 2;

    private Http2Connections() {
    }

    /** The settings a client is sent. */
    public static Http2Settings serverSettings() {
        return Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .maxHeaderListSize(MAX_HEADER_LIST_SIZE);
    }

    /**
     * A connection whose DATA is shared out between streams evenly: a client's (the server's answers), or an h2c
     * backend's (the requests). Netty's default distributor keeps RFC 7540's priority tree, which RFC 9113 deprecated
     * and browsers no longer send; it cost about 3 % of an HTTP/2 request's CPU in a profile, for every stream opened
     * and closed (and an h2c backend connection opens one for every call).
     */
    public static Http2Connection newConnection(boolean server) {
        Http2Connection connection = new DefaultHttp2Connection(server);
        connection.remote().flowController(new DefaultHttp2RemoteFlowController(connection,
                new UniformStreamByteDistributor(connection)));
        return connection;
    }

    /**
     * Adds HTTP/2 to a connection's pipeline (its preface is expected next): the handler, and the closing of a
     * connection that stays idle.
     *
     * @param idleTimeoutNanos how long a connection without open streams may stay silent before it is closed
     */
    public static void install(ChannelPipeline pipeline, Http2ConnectionHandler handler, long idleTimeoutNanos) {
        // The idle timer goes before the handler, where it sees the connection's bytes both ways: after it, it saw
        // none (the handler passes no reads on and writes from its own place), so a busy connection was closed at
        // the first moment it had no open stream once the timeout had passed.
        pipeline.addLast(new IdleStateHandler(0, 0, idleTimeoutNanos, TimeUnit.NANOSECONDS), handler,
                new IdleClose(handler.connection()));
    }

    /** Closes (with GOAWAY) a connection that stayed idle with no stream open. */
    private static final class IdleClose extends ChannelInboundHandlerAdapter {
        private final Http2Connection connection;

        IdleClose(Http2Connection connection) {
            this.connection = connection;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                if (connection.numActiveStreams() == 0) {
                    ctx.close();
                }
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a broken preface or frame: the handler has said so with GOAWAY where it could
        }
    }
}
