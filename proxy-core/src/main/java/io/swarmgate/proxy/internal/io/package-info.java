/**
 * The lowest layer of the data plane: pooled buffers, the event-loop transport, per-loop timers and slot arrays,
 * and the client address a connection shows. Depends on no other package of the proxy.
 */
@NullMarked
package io.swarmgate.proxy.internal.io;

import org.jspecify.annotations.NullMarked;
