/**
 * One request and its answer ({@link io.swarmgate.proxy.internal.exchange.Exchange}): routing, the route's
 * policies, the backend attempts, the answer or a local one, and what each needs (the response writer, what is kept
 * for a resend, the access-log record). Protocol-neutral towards the client, which it sees as a {@link
 * io.swarmgate.proxy.internal.exchange.Downstream}.
 */
@NullMarked
package io.swarmgate.proxy.internal.exchange;

import org.jspecify.annotations.NullMarked;
