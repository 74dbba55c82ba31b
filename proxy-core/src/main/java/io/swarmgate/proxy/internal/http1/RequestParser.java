package io.swarmgate.proxy.internal.http1;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * The request decoder's parsing, outside any pipeline: splits HTTP/1.1 request bytes that the proxy itself wrote for a
 * backend into a {@link RequestHead}, the body's data (chunk framing removed) and {@link MessageEnd}, so that HTTP/2's
 * framing can carry them to a backend that speaks it.
 */
public final class RequestParser {
    private final RequestDecoder decoder = new RequestDecoder();

    public RequestParser() {
        decoder.deChunk(true);
    }

    /** Parses what {@code in} holds, leaving an incomplete head or chunk size in it; parts go to {@code out}. */
    public void parse(ByteBuf in, List<Object> out) {
        decoder.decode(null, in, out);
    }
}
