package io.swarmgate.proxy.internal.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.Http2Headers;

/**
 * One of the proxy's own short responses (an error, a policy's denial or redirect, a user's error page), as each client
 * end writes it in its own protocol: HTTP/1.1 bytes, or an HTTP/2 stream's HEADERS and DATA built from its fields,
 * never HTTP/1.1 text parsed back.
 *
 * <p>Internal: public for {@code front}, whose client ends write it.
 */
public interface LocalAnswer {
    int status();

    /** The whole response as HTTP/1.1 bytes, saying {@code Connection: close} unless the connection stays open. */
    ByteBuf http1(ByteBufAllocator alloc, boolean keepAlive);

    /** Its head as an HTTP/2 header list; Netty only reads it, so one list may serve every stream. */
    Http2Headers http2Headers();

    /** Its body. */
    ByteBuf body(ByteBufAllocator alloc);

    /** Its body's length in bytes. */
    int bodyLength();
}
