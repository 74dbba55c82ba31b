/**
 * What every connection handler of a server shares ({@link io.swarmgate.proxy.internal.context.ProxyContext}),
 * what each event loop owns ({@link io.swarmgate.proxy.internal.context.LoopState}), and the failure log. Holds
 * client connections by interfaces only, so it depends on the backend side but not on the exchange.
 */
@NullMarked
package io.swarmgate.proxy.internal.context;

import org.jspecify.annotations.NullMarked;
