/**
 * The client's side of a connection: the HTTP/1.1 connection handler with its pipelining queue, and an HTTP/2
 * connection's lanes, each driving an {@link io.swarmgate.proxy.internal.exchange.Exchange} one request at a time.
 */
@NullMarked
package io.swarmgate.proxy.internal.front;

import org.jspecify.annotations.NullMarked;
