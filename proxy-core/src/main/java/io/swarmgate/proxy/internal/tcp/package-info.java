/**
 * TCP mode: listeners for stream routes, the byte relay between a client and a backend, and the TLS
 * ClientHello inspection that routes by server name without terminating TLS.
 */
@NullMarked
package io.swarmgate.proxy.internal.tcp;

import org.jspecify.annotations.NullMarked;
