/**
 * A client connection's set-up: the channel pipeline, PROXY protocol header, TLS with ALPN, and the choice
 * between HTTP/1.1 and HTTP/2 (prior knowledge or h2c upgrade).
 */
@NullMarked
package io.swarmgate.proxy.internal.server;

import org.jspecify.annotations.NullMarked;
