/** The rules a route applies to its requests and answers: access, auth, redirects, rewrites and header edits. */
@NullMarked
package io.swarmgate.proxy.policy;

import org.jspecify.annotations.NullMarked;
