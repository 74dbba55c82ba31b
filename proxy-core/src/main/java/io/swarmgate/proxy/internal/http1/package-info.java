/** HTTP/1.1 message heads and bodies, parsed and framed without Netty's object model. */
@NullMarked
package io.swarmgate.proxy.internal.http1;

import org.jspecify.annotations.NullMarked;
