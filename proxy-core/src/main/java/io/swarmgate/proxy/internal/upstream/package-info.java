/**
 * The backend side: connections to backends and their per-loop pool, backend TLS, and the tasks of a
 * task-balanced backend with their health. It serves an exchange through {@link
 * io.swarmgate.proxy.internal.upstream.BackendExchange} and never names the exchange's classes.
 */
@NullMarked
package io.swarmgate.proxy.internal.upstream;

import org.jspecify.annotations.NullMarked;
