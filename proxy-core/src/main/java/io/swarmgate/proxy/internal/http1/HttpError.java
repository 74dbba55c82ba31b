package io.swarmgate.proxy.internal.http1;

/**
 * Why a message could not be parsed. A decoder emits one in place of the message it could not read and then ignores
 * the rest of the connection's bytes: after a framing error nothing that follows can be trusted.
 */
public enum HttpError {
    /** A malformed request line, header or body framing: 400. */
    BAD_REQUEST,
    /** The request line is longer than the limit: 414. */
    URI_TOO_LONG,
    /** The head is larger, or has more fields, than the limit: 431. */
    HEADERS_TOO_LARGE,
    /** A backend's answer that cannot be relayed faithfully: 502. */
    BAD_RESPONSE
}
