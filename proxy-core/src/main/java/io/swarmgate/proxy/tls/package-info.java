/** Server certificates, their selection by SNI, and the TLS settings of the listeners. */
@NullMarked
package io.swarmgate.proxy.tls;

import org.jspecify.annotations.NullMarked;
