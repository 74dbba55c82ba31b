/** The data plane's implementation: client and backend connections and the exchange between them. */
@NullMarked
package io.swarmgate.proxy.internal;

import org.jspecify.annotations.NullMarked;
