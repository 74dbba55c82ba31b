package io.swarmgate.proxy.internal.http3;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http3.DefaultHttp3Headers;
import io.netty.handler.codec.http3.Http3Headers;
import java.util.Map;

/**
 * HTTP/3 header lists in HTTP/2's form and back: the two hold the same fields (pseudo-fields first, names in lower
 * case), and the head, the body framing and the response writer that HTTP/2 streams use take HTTP/2's. Netty's
 * QPACK decoder has validated the fields; they are copied without validating them again.
 */
public final class Http3Fields {
    private Http3Fields() {
    }

    public static Http2Headers toHttp2(Http3Headers fields) {
        Http2Headers out = new DefaultHttp2Headers(false, fields.size());
        for (Map.Entry<CharSequence, CharSequence> field : fields) {
            out.add(field.getKey(), field.getValue());
        }
        return out;
    }

    public static Http3Headers toHttp3(Http2Headers fields) {
        Http3Headers out = new DefaultHttp3Headers(false, fields.size());
        for (Map.Entry<CharSequence, CharSequence> field : fields) {
            out.add(field.getKey(), field.getValue());
        }
        return out;
    }
}
