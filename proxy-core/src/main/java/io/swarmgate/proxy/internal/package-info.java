/**
 * The data plane's implementation, in packages without cycles: {@code io} (buffers, timers, transport) at the bottom;
 * the codecs {@code http1} and {@code http2} and the protocol-neutral request {@code head}; {@code upstream} (backend
 * connections, pool, tasks); {@code context} (what a server and each event loop share); {@code exchange} (one request
 * and its response); {@code front} (the client's side of HTTP/1.1 and HTTP/2 connections); {@code tcp} (TCP mode);
 * {@code server} (a connection's set-up).
 * Public classes here are public for their sibling packages only, not for users of the proxy.
 */
@NullMarked
package io.swarmgate.proxy.internal;

import org.jspecify.annotations.NullMarked;
