/** HTTP/2 connections: the limits that bound a hostile client, and the streams' mapping onto exchanges. */
@NullMarked
package io.swarmgate.proxy.internal.http2;

import org.jspecify.annotations.NullMarked;
