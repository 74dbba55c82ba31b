package io.swarmgate.proxy.internal.http2;

import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.internal.head.BackendResponseHead;
import io.swarmgate.proxy.internal.http1.HeaderKind;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An h2c backend's response head, read from its HEADERS where they lie (Netty's decoder has checked the fields): an
 * HTTP/2 client's stream gets its fields copied into its own header list, never written as text. One per backend
 * connection, reused for each of its streams.
 */
public final class Http2ResponseHead implements BackendResponseHead {
    private Http2Headers headers;
    private int status;
    private boolean endStream;

    /** Reads a stream's response HEADERS; false when they carry no valid {@code :status}. */
    boolean read(Http2Headers fields, boolean endOfStream) {
        CharSequence code = fields.status();
        if (code == null || code.length() != 3) {
            return false;
        }
        int value = 0;
        for (int i = 0; i < 3; i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        if (value < 100) {
            return false;
        }
        headers = fields;
        status = value;
        endStream = endOfStream;
        return true;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public boolean hasBody() {
        return !endStream;
    }

    /** A stream ends on its own: the connection goes on. */
    @Override
    public boolean keepsConnection() {
        return true;
    }

    @Override
    public @Nullable String value(String name) {
        CharSequence value = headers.get(name.toLowerCase(Locale.ROOT));
        return value == null ? null : value.toString();
    }

    @Override
    public void addTo(Http2Headers out, int dropMask, byte[][] removed) {
        for (Map.Entry<CharSequence, CharSequence> field : headers) {
            CharSequence name = field.getKey();
            if (name.length() > 0 && name.charAt(0) == ':' || (HeaderKind.of(name) & dropMask) != 0
                    || FieldLines.named(name, removed)) {
                continue;
            }
            out.add(name, field.getValue());
        }
    }

    /** Nothing to free: the list is Netty's, and the connection reads its next stream's into this head. */
    @Override
    public boolean release() {
        headers = null;
        return true;
    }
}
