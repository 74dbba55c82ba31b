package io.swarmgate.proxy.internal.head;

import io.netty.handler.codec.http2.Http2Headers;
import org.jspecify.annotations.Nullable;

/**
 * A backend's response head as the exchange reads it: an HTTP/1.1 response's parsed head, or an h2c backend's HEADERS
 * as they came. The exchange's decisions (interim or final, retries, compression, the access log's status) read it the
 * same way whichever it is; an HTTP/2 client's writer copies its fields straight into the stream's header list.
 */
public interface BackendResponseHead {
    int status();

    /** 1xx but 101: an interim response; the final one follows. */
    default boolean informational() {
        return status() < 200 && status() != 101;
    }

    /** 101: the connection now carries the protocol the request asked to upgrade to (HTTP/1.1 only). */
    default boolean switchingProtocols() {
        return status() == 101;
    }

    /** Whether a body follows the head (not for HEAD, 204, 304, nor an HTTP/2 stream its HEADERS end). */
    boolean hasBody();

    /** Whether the backend connection may serve another exchange after this response. */
    boolean keepsConnection();

    /** The value of the first field with this name (any case), or {@code null}. */
    @Nullable String value(String name);

    /**
     * Adds its fields to an HTTP/2 header list, names in lower case, but those of the {@code HeaderKind} kinds in
     * {@code dropMask} and those named in {@code removed} (lower case).
     */
    void addTo(Http2Headers out, int dropMask, byte[][] removed);

    /** The exchange is done reading it. */
    boolean release();
}
