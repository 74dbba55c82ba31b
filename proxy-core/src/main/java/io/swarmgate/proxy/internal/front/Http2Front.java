package io.swarmgate.proxy.internal.front;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.exchange.ClientConnection;
import io.swarmgate.proxy.internal.http2.ControlFrameBudget;
import io.swarmgate.proxy.internal.http2.HeadersGate;
import io.swarmgate.proxy.internal.http2.Http2Connections;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/2 client connection: Netty's connection handler, and the {@link Http2Lane}s that serve its streams. A
 * stream takes an idle lane, or a new one while as many streams are open as there are lanes; a lane goes back once
 * its stream has closed with the exchange complete, so a connection that sends one request after another uses one
 * lane, with its exchange state, buffers and decoders, for all of them.
 *
 * <p>A new stream's exchange starts once the read that brought its head has been decoded, streams in the order they
 * opened: a stream that the same read also reset (Rapid Reset, CVE-2023-44487: HEADERS and RST_STREAM, over and over)
 * is never routed and opens no backend connection; it costs its lane's bookkeeping only. The read's end follows its
 * bytes at once, so a request waits no longer for it.
 *
 * <p>Internal: public for {@code server} only.
 */
public final class Http2Front extends Http2ConnectionHandler {
    private static final Logger log = LoggerFactory.getLogger(Http2Front.class);
    private final ProxyContext context;
    private final boolean secure;
    private final Http2Connection.PropertyKey laneKey;
    private final ArrayDeque<Http2Lane> idle = new ArrayDeque<>();
    private final HeadersGate gate;
    private final ControlFrameBudget controlFrames = new ControlFrameBudget(
            Http2Connections.MAX_CONTROL_FRAMES_PER_WINDOW,
            TimeUnit.SECONDS.toNanos(Http2Connections.CONTROL_FRAME_WINDOW_SECONDS));
    /** Lanes whose stream opened in the read being decoded, to start at its end. */
    private final ArrayDeque<Http2Lane> starting = new ArrayDeque<>();
    /** Between a read's bytes and its end. */
    private boolean inRead;
    private ChannelHandlerContext ctx;
    private ClientConnection client;
    /** Accepted while the server already had its maximum of client connections: every stream gets a 503. */
    private boolean overLimit;
    private final Runnable flushTask = this::flushNow;
    private boolean flushScheduled;
    /** The connection's first backend answer advertised HTTP/3: see {@link HeaderListStream#altSvcDue}. */
    private boolean altSvcAdvertised;

    private Http2Front(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings,
                       ProxyContext context, boolean secure) {
        super(decoder, encoder, settings);
        this.context = context;
        this.secure = secure;
        this.laneKey = connection().newKey();
        this.gate = new HeadersGate(connection(), this, super::decode);
        decoder.frameListener(new Frames());
        connection().addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamClosed(Http2Stream stream) {
                Http2Lane lane = stream.removeProperty(laneKey);
                if (lane != null) {
                    if (!starting.isEmpty()) {
                        starting.remove(lane);
                    }
                    lane.streamClosed();
                }
            }
        });
        encoder.flowController().listener(new Http2RemoteFlowController.Listener() {
            @Override
            public void writabilityChanged(Http2Stream stream) {
                Http2Lane lane = stream.getProperty(laneKey);
                if (lane != null) {
                    lane.writabilityChanged();
                }
            }
        });
    }

    /** A new connection's handler; its preface is expected next. */
    public static Http2Front create(ProxyContext context, boolean secure) {
        return new Builder(context, secure).build();
    }

    /** The connection counts once against maxConnections, however many lanes its streams take. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        client = new ClientConnection(ctx.channel(), secure, context.trustedProxies);
        overLimit = !context.clientOpened();
        context.observer.connectionOpened();
        super.handlerAdded(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        try {
            super.handlerRemoved0(ctx);
        } finally {
            context.observer.connectionClosed();
            context.clientClosed();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx); // closes the open streams, and so ends their lanes' exchanges
        Http2Lane lane;
        while ((lane = idle.poll()) != null) {
            lane.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        inRead = true;
        super.channelRead(ctx, msg);
    }

    /**
     * The read has been decoded: the streams it opened and left open start their exchanges, then all is flushed. On a
     * connection the read ended (GOAWAY after a flood, say) none starts: its streams close with it.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        inRead = false;
        boolean open = ctx.channel().isActive();
        Http2Lane lane;
        while ((lane = starting.poll()) != null) {
            if (open) {
                start(lane);
            }
        }
        super.channelReadComplete(ctx);
    }

    private void start(Http2Lane lane) {
        int streamId = lane.streamId();
        try {
            lane.start();
        } catch (RuntimeException e) {
            onError(ctx, false, failed(streamId, e));
        }
    }

    /** The connection's bytes go to Netty's decoder through the {@link HeadersGate}. */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        gate.decode(ctx, in, out);
    }

    ChannelHandlerContext channelContext() {
        return ctx;
    }

    ClientConnection client() {
        return client;
    }

    boolean overLimit() {
        return overLimit;
    }

    /**
     * Writes what is queued, as far as the streams' windows allow, and flushes the connection, once the event loop has
     * handled the I/O at hand: the responses of streams whose backends answered in the same round leave in one write.
     */
    void flushConnection() {
        if (!flushScheduled) {
            flushScheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    /**
     * Moves the DATA queued in the flow controller into the channel, as far as the streams' windows allow, without
     * flushing: a stream reset next would lose what is still queued for it.
     */
    void writeQueued() {
        try {
            encoder().flowController().writePendingBytes();
        } catch (Http2Exception e) {
            onError(ctx, true, e);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        if (ctx.channel().isActive()) {
            flush(ctx);
        }
    }

    /** True the first time only: the answer being written advertises HTTP/3 for the whole connection. */
    boolean altSvcDue() {
        boolean due = !altSvcAdvertised;
        altSvcAdvertised = true;
        return due;
    }

    /** A lane whose stream closed with the exchange complete: ready for the next stream. */
    void laneIdle(Http2Lane lane) {
        idle.push(lane);
    }

    /** A lane ended for good. */
    void laneClosed(Http2Lane lane) {
        idle.remove(lane);
    }

    private Http2Lane takeLane() {
        Http2Lane lane = idle.poll();
        return lane != null ? lane : new Http2Lane(this, context);
    }

    /**
     * The frames that carry requests; the handler deals with the rest (settings, pings, windows, resets), pings and
     * settings counted against the connection's budget.
     */
    private final class Frames extends Http2FrameAdapter {
        @Override
        public void onPingRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
            controlFrames.spend();
        }

        @Override
        public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) throws Http2Exception {
            controlFrames.spend();
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                                  boolean endStream) throws Http2Exception {
            Http2Stream stream = connection().stream(streamId);
            if (stream == null) {
                return; // reset while its header block was read
            }
            Http2Lane lane = stream.getProperty(laneKey);
            if (lane != null && !endStream) {
                throw Http2Exception.streamError(streamId, Http2Error.PROTOCOL_ERROR,
                        "a second header block must end the stream");
            }
            try {
                if (lane == null) {
                    lane = takeLane();
                    stream.setProperty(laneKey, lane);
                    if (lane.requestHead(stream, headers, endStream)) {
                        if (inRead) {
                            starting.add(lane);
                        } else {
                            lane.start(); // decoded outside a read (the connection's last bytes): nothing to wait for
                        }
                    }
                } else {
                    lane.requestTrailers(headers);
                }
            } catch (RuntimeException e) {
                throw failed(streamId, e);
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                                  short weight, boolean exclusive, int padding, boolean endStream)
                throws Http2Exception {
            onHeadersRead(ctx, streamId, headers, padding, endStream);
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endStream)
                throws Http2Exception {
            Http2Stream stream = connection().stream(streamId);
            Http2Lane lane = stream == null ? null : stream.getProperty(laneKey);
            if (lane == null) {
                return data.readableBytes() + padding;
            }
            try {
                return lane.requestData(data, padding, endStream);
            } catch (RuntimeException e) {
                throw failed(streamId, e);
            }
        }
    }

    /** A failure in the proxy's handling of one stream resets that stream, not the connection. */
    private static Http2Exception failed(int streamId, RuntimeException cause) {
        log.warn("HTTP/2 stream {} failed in the proxy and is reset", streamId, cause);
        return Http2Exception.streamError(streamId, Http2Error.INTERNAL_ERROR, cause, "the proxy failed on this stream");
    }

    private static final class Builder extends AbstractHttp2ConnectionHandlerBuilder<Http2Front, Builder> {
        private final ProxyContext context;
        private final boolean secure;

        Builder(ProxyContext context, boolean secure) {
            this.context = context;
            this.secure = secure;
            connection(Http2Connections.newConnection(true));
            initialSettings(Http2Connections.serverSettings());
            // RFC 9113 §8.3.1: a request without :method, :scheme or :path (CONNECT aside) is malformed, reset with
            // PROTOCOL_ERROR before it reaches the frame listener, so never forwarded (§8.1.1).
            validateRequiredPseudoHeaders(true);
            decoderEnforceMaxRstFramesPerWindow(Http2Connections.MAX_RESETS_PER_WINDOW,
                    Http2Connections.RESET_WINDOW_SECONDS);
            encoderEnforceMaxRstFramesPerWindow(Http2Connections.MAX_RESETS_PER_WINDOW,
                    Http2Connections.RESET_WINDOW_SECONDS);
            encoderEnforceMaxQueuedControlFrames(Http2Connections.MAX_QUEUED_CONTROL_FRAMES);
            decoderEnforceMaxSmallContinuationFrames(Http2Connections.MAX_SMALL_CONTINUATION_FRAMES);
            decoderEnforceMaxConsecutiveEmptyDataFrames(Http2Connections.MAX_CONSECUTIVE_EMPTY_DATA_FRAMES);
        }

        @Override
        protected Http2Front build() {
            return super.build();
        }

        @Override
        protected Http2Front build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
                                   Http2Settings initialSettings) {
            return new Http2Front(decoder, encoder, initialSettings, context, secure);
        }
    }
}
