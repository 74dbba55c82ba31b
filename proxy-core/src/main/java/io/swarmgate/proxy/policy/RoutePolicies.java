package io.swarmgate.proxy.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A route's policies, composed once when the route is compiled: the request policies in the order they run (access,
 * auth, redirects, rewrites, headers), the observers among them, and the edits to the answer's header fields. A
 * route without policies has {@link #NONE}, whose exchanges skip every step of the mechanism.
 */
public final class RoutePolicies {
    public static final RoutePolicies NONE = new RoutePolicies(List.of(), HeaderEdits.NONE, HeaderEdits.NONE,
            RetryPolicy.DEFAULT);

    private final RoutePolicy[] request;
    private final ExchangeObserver[] observers;
    private final HeaderEdits responseOverTls;
    private final HeaderEdits responseOverPlain;
    private final RetryPolicy retries;

    private RoutePolicies(List<RoutePolicy> request, HeaderEdits responseOverTls, HeaderEdits responseOverPlain,
                          RetryPolicy retries) {
        this.request = request.toArray(RoutePolicy[]::new);
        this.observers = request.stream().filter(ExchangeObserver.class::isInstance).map(ExchangeObserver.class::cast)
                .toArray(ExchangeObserver[]::new);
        this.responseOverTls = Objects.requireNonNull(responseOverTls, "responseOverTls");
        this.responseOverPlain = Objects.requireNonNull(responseOverPlain, "responseOverPlain");
        this.retries = Objects.requireNonNull(retries, "retries");
    }

    /** Policies whose answer edits are the same over TLS and plain HTTP. */
    public static RoutePolicies of(List<RoutePolicy> request, HeaderEdits response) {
        return of(request, response, response);
    }

    /** Policies whose answer edits depend on the client's connection ({@code if { ssl_fc }}). */
    public static RoutePolicies of(List<RoutePolicy> request, HeaderEdits responseOverTls,
                                   HeaderEdits responseOverPlain) {
        return request.isEmpty() && responseOverTls.isEmpty() && responseOverPlain.isEmpty() ? NONE
                : new RoutePolicies(request, responseOverTls, responseOverPlain, RetryPolicy.DEFAULT);
    }

    /** These policies with failed backend attempts retried as {@code policy} says. */
    public RoutePolicies withRetries(RetryPolicy policy) {
        return policy == retries ? this : new RoutePolicies(List.of(request), responseOverTls, responseOverPlain, policy);
    }

    public boolean appliesToRequests() {
        return request.length > 0;
    }

    /**
     * Runs the request policies in order; the first that does not let the request go on stops the chain, and its
     * result is returned. When one decides {@linkplain PolicyResult#later later}, so does the chain: the policies after
     * it run on {@code loop} once it let the request go on.
     *
     * @param loop the I/O thread of the request, where the policies after a deferred decision run
     */
    public PolicyResult apply(PolicyRequest policyRequest, Executor loop) {
        return applyFrom(0, policyRequest, loop);
    }

    private PolicyResult applyFrom(int first, PolicyRequest policyRequest, Executor loop) {
        for (int i = first; i < request.length; i++) {
            PolicyResult result = request[i].onRequest(policyRequest);
            if (result instanceof PolicyResult.Later later) {
                int next = i + 1;
                return PolicyResult.later(later.decision().thenComposeAsync(
                        decided -> decided == PolicyResult.PROCEED ? stage(applyFrom(next, policyRequest, loop))
                                : stage(decided), loop));
            }
            if (result != PolicyResult.PROCEED) {
                return result;
            }
        }
        return PolicyResult.PROCEED;
    }

    private static CompletionStage<PolicyResult> stage(PolicyResult result) {
        return result instanceof PolicyResult.Later later ? later.decision()
                : CompletableFuture.completedFuture(result);
    }

    /** The policies that count the requests they refuse, for metrics. */
    public List<PolicyStats> stats() {
        List<PolicyStats> stats = new ArrayList<>(0);
        for (RoutePolicy policy : request) {
            if (policy instanceof PolicyStats counted) {
                stats.add(counted);
            }
        }
        return stats;
    }

    /** Whether some policy observes how exchanges end. */
    public boolean observesEnds() {
        return observers.length > 0;
    }

    /** Tells the observers how an exchange of the route ended. */
    public void ended(ExchangeOutcome outcome) {
        for (ExchangeObserver observer : observers) {
            observer.exchangeEnded(outcome);
        }
    }

    /** When a failed backend attempt is tried again. */
    public RetryPolicy retries() {
        return retries;
    }

    /** @param secure whether the client's connection is TLS */
    public HeaderEdits responseEdits(boolean secure) {
        return secure ? responseOverTls : responseOverPlain;
    }
}
