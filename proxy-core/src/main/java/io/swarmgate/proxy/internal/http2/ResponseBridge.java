package io.swarmgate.proxy.internal.http2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.concurrent.EventExecutor;
import io.swarmgate.proxy.internal.http1.HeaderKind;
import io.swarmgate.proxy.internal.http1.MessageEnd;
import io.swarmgate.proxy.internal.http1.ResponseHead;
import io.swarmgate.proxy.internal.http1.ResponseParser;
import io.swarmgate.proxy.internal.http1.Trailers;
import java.util.List;

/**
 * The proxy's own short responses (errors, redirects, challenges), which the exchange writes as HTTP/1.1 bytes for any
 * client, turned into HTTP/2 frames; a backend's response never comes here. The head becomes HEADERS without the
 * connection's own fields, the body DATA, trailer fields (gRPC's status among them) the last HEADERS, and the stream
 * ends with the message. One per lane, reused for each of its streams' responses.
 */
public final class ResponseBridge {
    /** Where the frames go. */
    public interface Frames {
        void headers(Http2Headers headers, boolean endStream);

        void data(ByteBuf data, boolean endStream);
    }

    private static final byte[][] NO_NAMES = new byte[0][];

    private final ResponseParser response = new ResponseParser();
    private final Http1Stream bytes = new Http1Stream(response::parse);
    private boolean ended;

    /** @param loop the event loop the lane lives on, where the responses' heads are recycled */
    public ResponseBridge(EventExecutor loop) {
        response.recycleHeadsOn(loop);
    }

    /** Prepares for the response to the next request. */
    public void begin(boolean headRequest) {
        response.expect(headRequest);
        ended = false;
    }

    /**
     * Parses the response's next bytes and writes the frames they complete; bytes after its end are dropped.
     *
     * @return false when the bytes are no HTTP/1.1 response: nothing sensible can follow on the stream
     */
    public boolean write(ByteBufAllocator alloc, ByteBuf bytes, Frames out) {
        if (ended) {
            bytes.release();
            return true;
        }
        List<Object> parsed = this.bytes.parse(alloc, bytes);
        boolean wellFormed = true;
        for (int i = 0; i < parsed.size(); i++) {
            Object part = parsed.get(i);
            boolean ends = i + 1 < parsed.size() && parsed.get(i + 1) == MessageEnd.INSTANCE;
            if (ended) {
                release(part);
                continue;
            }
            if (part instanceof ResponseHead head) {
                ends &= !head.informational();
                out.headers(ResponseHeaders.of(new DefaultHttp2Headers(false), head, HeaderKind.OTHER, NO_NAMES), ends);
                head.release();
            } else if (part instanceof ByteBuf data) {
                out.data(data, ends);
            } else if (part instanceof Trailers trailers) {
                out.headers(ResponseHeaders.trailers(trailers), true);
                ends = true;
            } else if (part == MessageEnd.INSTANCE) {
                out.data(Unpooled.EMPTY_BUFFER, true);
                ends = true;
            } else {
                wellFormed = false;
            }
            if (ends) {
                ended = true;
                if (i + 1 < parsed.size() && parsed.get(i + 1) == MessageEnd.INSTANCE) {
                    i++;
                }
            }
        }
        parsed.clear();
        return wellFormed;
    }

    public void release() {
        this.bytes.release();
    }

    private static void release(Object part) {
        if (part instanceof ResponseHead head) {
            head.release();
        } else if (part instanceof ByteBuf data) {
            data.release();
        }
    }
}
