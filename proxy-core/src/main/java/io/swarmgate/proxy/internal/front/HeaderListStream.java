package io.swarmgate.proxy.internal.front;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.internal.exchange.Downstream;

/**
 * A client's end that is one stream of a multiplexed connection, HTTP/2's ({@link Http2Lane}) or HTTP/3's
 * ({@link Http3Stream}): a response is a header list, data, and trailer fields, and the stream ends with it. Both
 * take the header list in Netty's HTTP/2 form, so one writer ({@link Http2ResponseWriter}) serves both.
 */
interface HeaderListStream extends Downstream {
    /** A backend's response head, or its trailer fields. */
    void responseHead(Http2Headers headers, boolean endStream);

    /** A backend's response data. */
    void responseData(ByteBuf data, boolean endStream);

    /**
     * Whether this answer is to advertise HTTP/3 ({@code Alt-Svc}): true once per connection, for its first backend
     * answer. A client keeps the advertisement for its {@code ma} (RFC 7838 §3), so repeating it on every answer of
     * the connection told it nothing new, and cost a field to encode on each.
     */
    boolean altSvcDue();
}
