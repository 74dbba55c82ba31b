package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;

/**
 * The response decoder's parsing, outside any pipeline: splits HTTP/1.1 response bytes that the proxy itself wrote into
 * a {@link ResponseHead} (interim ones first), the body's data (chunk framing removed), its {@link Trailers} if any,
 * and {@link MessageEnd}, so that another framing, HTTP/2's, can carry them.
 */
public final class ResponseParser {
    private final ResponseDecoder decoder = new ResponseDecoder();

    public ResponseParser() {
        decoder.keepTrailers(true);
    }

    /** Lets each head reuse what the previous one left (see {@link HeadRecycler}), on the owner's event loop. */
    public void recycleHeadsOn(EventExecutor loop) {
        decoder.recycleHeadsOn(loop);
    }

    /** Prepares for the answer to the next request; a HEAD request's has no body whatever its fields say. */
    public void expect(boolean headRequest) {
        decoder.expect(headRequest, true, false);
    }

    /** Parses what {@code in} holds, leaving an incomplete head or chunk size in it; parts go to {@code out}. */
    public void parse(ByteBuf in, List<Object> out) {
        decoder.decode(null, in, out);
    }
}
