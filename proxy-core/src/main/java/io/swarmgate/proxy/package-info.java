/** The embeddable proxy: {@link io.swarmgate.proxy.ProxyServer} and what it reports to its observer. */
@NullMarked
package io.swarmgate.proxy;

import org.jspecify.annotations.NullMarked;
