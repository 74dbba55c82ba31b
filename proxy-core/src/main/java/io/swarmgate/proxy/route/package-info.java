/** Routes and the routing table: an immutable snapshot that the data plane reads without a lock. */
@NullMarked
package io.swarmgate.proxy.route;

import org.jspecify.annotations.NullMarked;
