package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's states on a clock the test moves: the latency bound, the window's end, probes that never report. */
class CircuitBreakerTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final CircuitBreaker breaker = new CircuitBreaker(new CircuitBreaker.Settings(0, 100 * MS, 10, 10,
            1_000 * MS, 500 * MS, 1), clock::get);

    private record Outcome(int status, long durationNanos, boolean forwarded) implements ExchangeOutcome {
        @Override
        public boolean backendFailed() {
            return false;
        }
    }

    private void end(long durationNanos) {
        assertThat(breaker.onRequest(new TestRequest("GET", "a", "/"))).isSameAs(PolicyResult.PROCEED);
        breaker.exchangeEnded(new Outcome(200, durationNanos, true));
    }

    @Test
    void opensWhenMoreThanThePercentilesShareIsSlowerThanTheBound() {
        for (int i = 0; i < 9; i++) {
            end(5 * MS);
        }
        end(150 * MS);
        assertThat(breaker.state()).as("1 slow in 10: p90 holds").isEqualTo(CircuitBreaker.State.CLOSED);

        end(150 * MS);

        assertThat(breaker.state()).as("2 slow in 11").isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(((LocalResponse) breaker.onRequest(new TestRequest("GET", "a", "/"))).status()).isEqualTo(503);
        assertThat(breaker.refused()).isEqualTo(1);
    }

    @Test
    void failuresOlderThanTheWindowAreForgotten() {
        for (int i = 0; i < 9; i++) {
            end(150 * MS);
        }
        clock.addAndGet(1_100 * MS);

        end(150 * MS);

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void answersNotForwardedAreNotCounted() {
        for (int i = 0; i < 20; i++) {
            breaker.exchangeEnded(new Outcome(503, 150 * MS, false));
        }

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aProbeThatNeverReportsIsReplacedAfterAnotherDelay() {
        for (int i = 0; i < 10; i++) {
            end(150 * MS);
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        clock.addAndGet(600 * MS);
        assertThat(breaker.onRequest(new TestRequest("GET", "a", "/"))).as("the probe").isSameAs(PolicyResult.PROCEED);
        assertThat(breaker.onRequest(new TestRequest("GET", "a", "/"))).isInstanceOf(LocalResponse.class);

        clock.addAndGet(600 * MS);

        assertThat(breaker.onRequest(new TestRequest("GET", "a", "/"))).as("another probe")
                .isSameAs(PolicyResult.PROCEED);
        breaker.exchangeEnded(new Outcome(200, 5 * MS, true));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
