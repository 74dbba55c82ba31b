package io.swarmgate.proxy.internal.http1;

/** How a message's body is delimited on the wire (RFC 9112 §6.3). */
public enum Framing {
    /** No body at all. */
    NONE,
    /** {@code Content-Length} bytes. */
    LENGTH,
    /** {@code Transfer-Encoding: chunked}. */
    CHUNKED,
    /** Everything until the sender closes the connection (responses only). */
    CLOSE
}
