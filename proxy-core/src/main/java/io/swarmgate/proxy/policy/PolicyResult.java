package io.swarmgate.proxy.policy;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** What a {@link RoutePolicy} decided about a request: go on, the answer the proxy gives itself, or later. */
public sealed interface PolicyResult permits PolicyResult.Proceed, PolicyResult.Later, LocalResponse {
    /** The request goes on: to the next policy, then to the route's backend. */
    PolicyResult PROCEED = Proceed.INSTANCE;

    /**
     * The decision comes when {@code decision} completes, with {@link #PROCEED} or a {@link LocalResponse}: once an
     * authentication service answered, say. Meanwhile the request waits: nothing of it is forwarded, and its body is
     * read no further than the usual bounds of a waiting request. Then the policies after this one run, on the
     * request's I/O thread. The client's timeout keeps running, so a policy that waits bounds its wait and answers
     * (a 503 or 504) itself; a stage that fails is answered with a 500.
     */
    static PolicyResult later(CompletionStage<PolicyResult> decision) {
        return new Later(Objects.requireNonNull(decision, "decision"));
    }

    /** The one value of {@link #PROCEED}. */
    enum Proceed implements PolicyResult {
        INSTANCE
    }

    /** A decision still to come: see {@link #later}. */
    record Later(CompletionStage<PolicyResult> decision) implements PolicyResult {
    }
}
