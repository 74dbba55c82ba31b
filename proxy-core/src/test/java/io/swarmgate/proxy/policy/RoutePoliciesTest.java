package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A route's policies run in their order, the first answer ends the chain, and a route without any has none. */
class RoutePoliciesTest {
    @Test
    void runsThePoliciesInOrderUntilOneAnswers() {
        List<String> ran = new ArrayList<>();
        LocalResponse tooMany = LocalResponse.of(429, "Slow down.");
        RoutePolicies policies = RoutePolicies.of(List.of(
                request -> {
                    ran.add("first");
                    request.addHeader("X-Seen", "1");
                    return PolicyResult.PROCEED;
                },
                request -> {
                    ran.add("second");
                    return tooMany;
                },
                request -> {
                    ran.add("third");
                    return PolicyResult.PROCEED;
                }), HeaderEdits.NONE);
        TestRequest request = new TestRequest("GET", "a", "/x");

        assertThat(policies.apply(request, Runnable::run)).isSameAs(tooMany);
        assertThat(ran).containsExactly("first", "second");
        assertThat(request.added).containsExactly("X-Seen: 1");
    }

    @Test
    void letsTheRequestGoOnWhenEveryPolicyDoes() {
        RoutePolicies policies = RoutePolicies.of(List.of(new MethodRule(Set.of("GET"), Set.of()),
                new PlainHttpDenial()), HeaderEdits.NONE);
        TestRequest request = new TestRequest("GET", "a", "/x");
        request.secure = true;

        assertThat(policies.apply(request, Runnable::run)).isSameAs(PolicyResult.PROCEED);
    }

    @Test
    void aDeferredDecisionRunsThePoliciesAfterItOnTheRequestsLoopOnceItLetsTheRequestGoOn() {
        CompletableFuture<PolicyResult> auth = new CompletableFuture<>();
        List<Runnable> loop = new ArrayList<>();
        RoutePolicies policies = RoutePolicies.of(List.of(
                request -> PolicyResult.later(auth),
                request -> {
                    request.addHeader("X-User", "ann");
                    return PolicyResult.PROCEED;
                }), HeaderEdits.NONE);
        TestRequest request = new TestRequest("GET", "a", "/x");

        PolicyResult result = policies.apply(request, loop::add);
        auth.complete(PolicyResult.PROCEED);

        assertThat(result).isInstanceOf(PolicyResult.Later.class);
        assertThat(request.added).isEmpty();
        loop.forEach(Runnable::run);
        assertThat(((PolicyResult.Later) result).decision().toCompletableFuture().join())
                .isSameAs(PolicyResult.PROCEED);
        assertThat(request.added).containsExactly("X-User: ann");
    }

    @Test
    void aDeferredAnswerEndsTheChain() {
        LocalResponse unauthorized = LocalResponse.of(401, "Log in first.");
        RoutePolicies policies = RoutePolicies.of(List.of(
                request -> PolicyResult.later(CompletableFuture.completedFuture(unauthorized)),
                request -> {
                    throw new AssertionError("ran after an answer");
                }), HeaderEdits.NONE);

        PolicyResult result = policies.apply(new TestRequest("GET", "a", "/x"), Runnable::run);

        assertThat(((PolicyResult.Later) result).decision().toCompletableFuture().join()).isSameAs(unauthorized);
    }

    @Test
    void aRouteWithoutPoliciesHasNone() {
        RoutePolicies none = RoutePolicies.of(List.of(), HeaderEdits.NONE, HeaderEdits.NONE);

        assertThat(none).isSameAs(RoutePolicies.NONE);
        assertThat(none.appliesToRequests()).isFalse();
        assertThat(none.observesEnds()).isFalse();
    }

    @Test
    void answerEditsAloneMakeAChainThatSkipsTheRequest() {
        HeaderEdits overTls = HeaderEdits.builder().set("Strict-Transport-Security", "max-age=31536000").build();
        RoutePolicies policies = RoutePolicies.of(List.of(), overTls, HeaderEdits.NONE);

        assertThat(policies.appliesToRequests()).isFalse();
        assertThat(policies.responseEdits(true)).isSameAs(overTls);
        assertThat(policies.responseEdits(false)).isSameAs(HeaderEdits.NONE);
    }

    @Test
    void tellsThePoliciesThatObserveHowExchangesEnd() {
        List<Integer> statuses = new ArrayList<>();
        RoutePolicies policies = RoutePolicies.of(List.of(new PlainHttpDenial(), new CountingPolicy(statuses)),
                HeaderEdits.NONE);

        policies.ended(new Outcome(502, true));

        assertThat(policies.observesEnds()).isTrue();
        assertThat(statuses).containsExactly(502);
    }

    private record CountingPolicy(List<Integer> statuses) implements RoutePolicy, ExchangeObserver {
        @Override
        public PolicyResult onRequest(PolicyRequest request) {
            return PolicyResult.PROCEED;
        }

        @Override
        public void exchangeEnded(ExchangeOutcome outcome) {
            statuses.add(outcome.status());
        }
    }

    private record Outcome(int status, boolean backendFailed) implements ExchangeOutcome {
        @Override
        public boolean forwarded() {
            return true;
        }

        @Override
        public long durationNanos() {
            return 1_000_000;
        }
    }
}
