package io.swarmgate.proxy.policy;

/** What a {@link RoutePolicy} decided about a request: go on, or the answer the proxy gives itself. */
public sealed interface PolicyResult permits PolicyResult.Proceed, LocalResponse {
    /** The request goes on: to the next policy, then to the route's backend. */
    PolicyResult PROCEED = Proceed.INSTANCE;

    /** The one value of {@link #PROCEED}. */
    enum Proceed implements PolicyResult {
        INSTANCE
    }
}
