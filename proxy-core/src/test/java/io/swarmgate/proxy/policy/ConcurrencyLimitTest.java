package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The concurrency limit's per-client counts: retired with their last request, and bounded in number. */
class ConcurrencyLimitTest {
    private static TestRequest from(String address) {
        TestRequest request = new TestRequest("GET", "a", "/");
        request.clientAddress = address;
        return request;
    }

    @Test
    void aClientsCountIsRetiredWhenItsLastRequestEnds() {
        ConcurrencyLimit limit = new ConcurrencyLimit(0, 2);
        TestRequest first = from("10.0.0.1");
        TestRequest second = from("10.0.0.1");

        assertThat(limit.onRequest(first)).isSameAs(PolicyResult.PROCEED);
        assertThat(limit.onRequest(second)).isSameAs(PolicyResult.PROCEED);
        assertThat(limit.onRequest(from("10.0.0.1"))).isInstanceOf(LocalResponse.class);
        first.ended.forEach(Runnable::run);
        assertThat(limit.trackedClients()).isEqualTo(1);
        second.ended.forEach(Runnable::run);

        assertThat(limit.trackedClients()).isZero();
        assertThat(limit.onRequest(from("10.0.0.1"))).as("a fresh count").isSameAs(PolicyResult.PROCEED);
    }

    @Test
    void aNewClientPastTheTrackedMaximumIsRefusedUntilOneLeaves() {
        ConcurrencyLimit limit = new ConcurrencyLimit(0, 1, 3);
        List<TestRequest> inProgress = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inProgress.add(from("10.0.0." + i));
            assertThat(limit.onRequest(inProgress.get(i))).isSameAs(PolicyResult.PROCEED);
        }

        assertThat(limit.onRequest(from("10.0.0.9"))).isInstanceOf(LocalResponse.class);
        inProgress.get(0).ended.forEach(Runnable::run);
        assertThat(limit.onRequest(from("10.0.0.9"))).isSameAs(PolicyResult.PROCEED);
        assertThat(limit.refused()).isEqualTo(1);
    }
}
