package io.swarmgate.proxy.internal.http2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2LifecycleManager;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.List;

/**
 * Hands a connection's bytes to Netty's HTTP/2 decoder a frame at a time, and checks each HEADERS frame against the
 * stream it names before the decoder reads it, where Netty's answer differs from RFC 9113's:
 * <ul>
 *   <li>a new stream numbered below one the client already opened (§5.1.1): a connection error PROTOCOL_ERROR, where
 *       Netty takes the skipped number for a closed stream and resets it;</li>
 *   <li>a header block on a stream whose request has ended, half-closed (remote) (§5.1): a stream error STREAM_CLOSED,
 *       where Netty answers PROTOCOL_ERROR;</li>
 *   <li>a header block on a stream that ended both ways (§5.1, closed): a connection error STREAM_CLOSED, where Netty
 *       resets the stream. A client that reuses a finished stream has lost track of the connection.</li>
 * </ul>
 * A stream the proxy reset itself is left to Netty, which answers what the client had in flight on it with at most a
 * stream error (RFC 9113 §5.1 wants such frames ignored, not taken for a client that lost track). A frame at a time
 * so that each check sees the streams as the frames before it left them; the decoder reads the same bytes as without
 * the gate, header blocks included, so HPACK's table stays in step.
 */
public final class HeadersGate {
    /** The decoder the bytes go to. */
    @FunctionalInterface
    public interface Frames {
        void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception;
    }

    private static final int PREFACE_LENGTH = Http2CodecUtil.connectionPrefaceBuf().readableBytes();
    private static final int FRAME_HEADER_LENGTH = 9;
    private static final byte HEADERS = 0x1;
    /** Gaps in the client's stream numbers remembered; a client that leaves more gets STREAM_CLOSED for the oldest. */
    private static final int GAPS = 16;
    /** Streams the proxy reset, remembered so that what the client had in flight on them is not taken for abuse. */
    private static final int RESETS = 32;

    private final Http2Connection connection;
    private final Http2LifecycleManager lifecycle;
    private final Frames frames;
    /** Bytes of the frame (or at first, of the preface) that the decoder has yet to read. */
    private int unitLeft = PREFACE_LENGTH;
    /** Ranges of stream numbers the client skipped, in a ring; 0 to 0 in an unused slot matches no stream. */
    private final int[] gapFrom = new int[GAPS];
    private final int[] gapTo = new int[GAPS];
    private int nextGap;
    /** Streams the proxy reset, in a ring; 0 matches no client stream. */
    private final int[] resets = new int[RESETS];
    private int nextReset;
    private int lastOpened = -1;

    public HeadersGate(Http2Connection connection, Http2LifecycleManager lifecycle, Frames frames) {
        this.connection = connection;
        this.lifecycle = lifecycle;
        this.frames = frames;
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onStreamAdded(Http2Stream stream) {
                opened(stream.id());
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                if (stream.isResetSent()) {
                    resets[nextReset] = stream.id();
                    nextReset = (nextReset + 1) % RESETS;
                }
            }
        });
    }

    private void opened(int id) {
        if (!connection.remote().isValidStreamId(id)) {
            return;
        }
        if (id > lastOpened + 2) {
            gapFrom[nextGap] = lastOpened + 2;
            gapTo[nextGap] = id - 2;
            nextGap = (nextGap + 1) % GAPS;
        }
        lastOpened = id;
    }

    /** Decodes what {@code in} holds, a frame at a time; as {@link io.netty.handler.codec.ByteToMessageDecoder}'s. */
    public void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        while (in.isReadable()) {
            int start = in.readerIndex();
            if (unitLeft == 0) {
                if (in.readableBytes() < FRAME_HEADER_LENGTH) {
                    return;
                }
                unitLeft = FRAME_HEADER_LENGTH + in.getUnsignedMedium(start);
                if (in.getByte(start + 3) == HEADERS && !admit(ctx, in.getInt(start + 5) & Integer.MAX_VALUE)) {
                    in.skipBytes(in.readableBytes()); // the connection is closing
                    return;
                }
            }
            int end = in.writerIndex();
            in.writerIndex(start + Math.min(unitLeft, in.readableBytes()));
            try {
                frames.decode(ctx, in, out);
            } finally {
                in.writerIndex(end);
            }
            int read = in.readerIndex() - start;
            if (read == 0) {
                return; // the decoder waits for the rest of the frame
            }
            unitLeft -= read;
        }
    }

    /** Whether a HEADERS frame on this stream may go on to the decoder; false after a connection error. */
    private boolean admit(ChannelHandlerContext ctx, int streamId) {
        if (!connection.remote().isValidStreamId(streamId)) {
            return true; // stream 0 or a server's number: the decoder's connection error
        }
        Http2Stream stream = connection.stream(streamId);
        if (stream == null) {
            if (streamId > connection.remote().lastStreamCreated() || resetByProxy(streamId)) {
                return true;
            }
            Http2Error error = skipped(streamId) ? Http2Error.PROTOCOL_ERROR : Http2Error.STREAM_CLOSED;
            lifecycle.onError(ctx, false, Http2Exception.connectionError(error,
                    "HEADERS on stream %d, below the last stream opened, %d", streamId,
                    connection.remote().lastStreamCreated()));
            return false;
        }
        if (stream.state() == Http2Stream.State.HALF_CLOSED_REMOTE && !stream.isResetSent()) {
            // Reset before the decoder reads the block: it then decodes the block for HPACK's sake and drops it.
            lifecycle.onError(ctx, false, Http2Exception.streamError(streamId, Http2Error.STREAM_CLOSED,
                    "a header block after the end of stream %d", streamId));
        }
        return true;
    }

    private boolean skipped(int streamId) {
        for (int i = 0; i < GAPS; i++) {
            if (streamId >= gapFrom[i] && streamId <= gapTo[i]) {
                return true;
            }
        }
        return false;
    }

    private boolean resetByProxy(int streamId) {
        for (int i = 0; i < RESETS; i++) {
            if (resets[i] == streamId) {
                return true;
            }
        }
        return false;
    }
}
