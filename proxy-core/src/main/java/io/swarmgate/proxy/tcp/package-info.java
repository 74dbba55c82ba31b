/** TCP routes: connections relayed byte for byte, chosen by port and TLS server name. */
@NullMarked
package io.swarmgate.proxy.tcp;

import org.jspecify.annotations.NullMarked;
