/**
 * Message heads as the exchange sees them, whichever protocol carried them: HTTP/1.1's parsed bytes or HTTP/2's
 * header lists. Each head encodes itself for the other side straight from what it holds.
 */
@NullMarked
package io.swarmgate.proxy.internal.head;

import org.jspecify.annotations.NullMarked;
