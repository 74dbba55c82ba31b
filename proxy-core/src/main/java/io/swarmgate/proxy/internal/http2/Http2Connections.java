package io.swarmgate.proxy.internal.http2;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 connection: the frame codec, one child channel per stream (set up by the given initializer, whose first
 * handler is a {@link StreamBridge}), and the connection's idle timeout.
 */
public final class Http2Connections {
    /** Streams a client may have open at once on one connection. */
    static final int MAX_CONCURRENT_STREAMS = 128;
    /** Bounds what a client's header block may decode to; the HTTP/1.1 parser's own limits apply after. */
    private static final long MAX_HEADER_LIST_SIZE = 64 * 1024;

    private Http2Connections() {
    }

    /**
     * Adds HTTP/2 to a connection's pipeline (its preface is expected next).
     *
     * @param idleTimeoutNanos how long a connection without open streams may stay silent before it is closed
     */
    public static void install(ChannelPipeline pipeline, ChannelHandler streamInitializer, long idleTimeoutNanos) {
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(MAX_HEADER_LIST_SIZE))
                .build();
        pipeline.addLast(codec, new Http2MultiplexHandler(streamInitializer),
                new IdleStateHandler(0, 0, idleTimeoutNanos, TimeUnit.NANOSECONDS), new IdleClose(codec));
    }

    /** Closes (with GOAWAY) a connection that stayed idle with no stream open. */
    private static final class IdleClose extends ChannelInboundHandlerAdapter {
        private final Http2FrameCodec codec;

        IdleClose(Http2FrameCodec codec) {
            this.codec = codec;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent) {
                if (codec.connection().numActiveStreams() == 0) {
                    ctx.close();
                }
            } else {
                ctx.fireUserEventTriggered(event);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a broken preface or frame: the codec has said so with GOAWAY where it could
        }
    }
}
