package io.swarmgate.proxy.internal.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.ReferenceCountUtil;
import io.swarmgate.proxy.internal.upstream.BackendHandler;
import java.util.ArrayList;

/**
 * What is kept of the request in progress so that it can be sent again on another backend connection: the head as
 * the backend gets it and views of the body parts sent, kept until the response starts. A body larger than the retry
 * buffer is not kept, and its request is not resent once sent. One per client connection, reused for each exchange.
 */
final class RequestReplay {
    private final int bufferBytes;
    /**
     * Views of the body parts sent, kept with the head while they fit in the retry buffer; made for the first part, as
     * most requests have none and a connection often carries a single request.
     */
    private ArrayList<ByteBuf> parts;
    /** HTTP/1.1 text, or an h2c backend's header list. */
    private Object head;
    private int partBytes;
    /** Every body part sent so far is kept. */
    private boolean keeping;
    private boolean bodySent;
    private HttpMethod method;

    RequestReplay(int bufferBytes) {
        this.bufferBytes = bufferBytes;
    }

    /** A new exchange: nothing of it is kept yet. */
    void begin(HttpMethod requestMethod) {
        method = requestMethod;
        keeping = bufferBytes > 0;
        bodySent = false;
    }

    /** The request head as the backend gets it; owned here from now on. */
    void head(Object encoded) {
        head = encoded;
    }

    /** A body part about to go to the backend: keeps a view of it while the retry buffer has room. */
    void bodySent(ByteBuf body) {
        bodySent = true;
        if (!keeping) {
            return;
        }
        if (partBytes + body.readableBytes() > bufferBytes) {
            releaseParts();
            keeping = false;
            return;
        }
        if (parts == null) {
            parts = new ArrayList<>(2);
        }
        parts.add(body.retainedDuplicate());
        partBytes += body.readableBytes();
    }

    /** Trailer fields went out, which are not kept: the request cannot be sent again. */
    void trailersSent() {
        bodySent = true;
        releaseParts();
        keeping = false;
    }

    /** Whether all that was sent of the request is kept, so that it can be sent again. */
    boolean resendable() {
        return !bodySent || keeping;
    }

    /**
     * Whether the request, already sent, may be sent again elsewhere once the client has sent all of it: only an
     * idempotent one (RFC 9110 §9.2.2) whose sent parts are all kept.
     */
    boolean mayResend() {
        return resendable() && (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
                || method == HttpMethod.PUT || method == HttpMethod.DELETE || method == HttpMethod.TRACE);
    }

    /** Writes the head and, on a retry, the body sent before, to a backend connection (not flushed). */
    void writeTo(BackendHandler connection) {
        connection.write(head instanceof ByteBuf text ? text.retainedDuplicate() : head);
        if (parts != null) {
            for (ByteBuf part : parts) {
                connection.write(part.retainedDuplicate());
            }
        }
    }

    /** The response started or the exchange ended: nothing will be sent again. */
    void release() {
        if (head != null) {
            ReferenceCountUtil.release(head);
            head = null;
        }
        releaseParts();
        keeping = false;
    }

    private void releaseParts() {
        if (parts != null && !parts.isEmpty()) {
            parts.forEach(ByteBuf::release);
            parts.clear();
        }
        partBytes = 0;
    }
}
