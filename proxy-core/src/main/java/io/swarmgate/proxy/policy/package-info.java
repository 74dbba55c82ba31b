/**
 * What a route adds to its exchanges, as policies composed once per route ({@link RoutePolicies}): access, auth,
 * redirects, rewrites and header edits, and the observers of how exchanges end.
 */
@NullMarked
package io.swarmgate.proxy.policy;

import org.jspecify.annotations.NullMarked;
