/** Where a route's requests go: a backend, its protocol, and the tasks a service's requests are balanced over. */
@NullMarked
package io.swarmgate.proxy.upstream;

import org.jspecify.annotations.NullMarked;
