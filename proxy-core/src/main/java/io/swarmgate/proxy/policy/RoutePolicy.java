package io.swarmgate.proxy.policy;

/**
 * One job a route adds to its exchanges: an access rule, an authentication, a redirect, a rewrite, header edits.
 * A route's policies are composed once, when the route is compiled, into its {@link RoutePolicies}; each request the
 * route takes goes through them in that order before it is forwarded. A policy lets the request go on
 * ({@link PolicyResult#PROCEED}, changed perhaps through the {@link PolicyRequest}), answers it itself with a
 * {@link LocalResponse}, which ends the chain, or decides {@linkplain PolicyResult#later later}, after asking a
 * service. A policy that also wants to hear how its route's exchanges end implements {@link ExchangeObserver}.
 *
 * <p>Policies run on the I/O threads and must not block; one instance serves every connection of its route at once.
 */
@FunctionalInterface
public interface RoutePolicy {
    PolicyResult onRequest(PolicyRequest request);
}
