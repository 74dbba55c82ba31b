package io.swarmgate.proxy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A flood of one million distinct client addresses through the policies that keep state per client, by direct calls:
 * the keys tracked stay at their cap, the oldest are forgotten, and the heap they hold stays bounded.
 */
class PolicyStateFloodTest {
    private static final int CLIENTS = 1_000_000;
    /** Far above what 65,536 tracked keys take (a few MB), far below what a million would. */
    private static final long HEAP_BOUND = 48L << 20;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private static String address(int i) {
        return "10." + (i >>> 16 & 0xff) + "." + (i >>> 8 & 0xff) + "." + (i & 0xff);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    @Test
    void aRateLimitTracksAtMostItsCapOfClientsAndForgetsTheOldest() {
        RateLimit limit = new RateLimit(TimeUnit.MINUTES.toNanos(1), 1, null);
        TestRequest request = new TestRequest("GET", "a", "/");
        long before = heapAfterGc();

        for (int i = 0; i < CLIENTS; i++) {
            request.clientAddress = address(i);
            assertThat(limit.onRequest(request)).isSameAs(PolicyResult.PROCEED);
        }
        long held = heapAfterGc() - before;

        assertThat(limit.trackedKeys()).isEqualTo(RateLimit.MAX_KEYS);
        assertThat(held).as("bytes held after the flood").isLessThan(HEAP_BOUND);
        request.clientAddress = address(CLIENTS - 1);
        assertThat(limit.onRequest(request)).as("a client still tracked").isInstanceOf(LocalResponse.class);
        request.clientAddress = address(0);
        assertThat(limit.onRequest(request)).as("a client forgotten: a full bucket again")
                .isSameAs(PolicyResult.PROCEED);
        assertThat(limit.refused()).isEqualTo(1);
    }

    @Test
    void aPerClientConcurrencyLimitRetiresEndedClientsAndCapsThoseInProgress() {
        ConcurrencyLimit limit = new ConcurrencyLimit(0, 2);
        long before = heapAfterGc();

        for (int i = 0; i < CLIENTS; i++) {
            TestRequest request = new TestRequest("GET", "a", "/");
            request.clientAddress = address(i);
            assertThat(limit.onRequest(request)).isSameAs(PolicyResult.PROCEED);
            request.ended.forEach(Runnable::run);
        }
        assertThat(limit.trackedClients()).as("every request ended").isZero();

        int admitted = 0;
        for (int i = 0; i < CLIENTS; i++) {
            TestRequest request = new TestRequest("GET", "a", "/");
            request.clientAddress = address(i);
            if (limit.onRequest(request) == PolicyResult.PROCEED) {
                admitted++; // and never ended: each holds its client's count
            }
        }
        long held = heapAfterGc() - before;

        assertThat(admitted).isEqualTo(ConcurrencyLimit.MAX_CLIENTS);
        assertThat(limit.trackedClients()).isEqualTo(ConcurrencyLimit.MAX_CLIENTS);
        assertThat(limit.refused()).isEqualTo(CLIENTS - ConcurrencyLimit.MAX_CLIENTS);
        assertThat(held).as("bytes held after the flood").isLessThan(HEAP_BOUND);
    }

    @Test
    void aBreakersStateIsTheSameSizeWhateverTheTraffic() {
        CircuitBreaker breaker = new CircuitBreaker(new CircuitBreaker.Settings(50, 0, 0, 20,
                TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(10), 3));
        ExchangeOutcome ok = new ExchangeOutcome() {
            @Override
            public int status() {
                return 200;
            }

            @Override
            public boolean backendFailed() {
                return false;
            }

            @Override
            public boolean forwarded() {
                return true;
            }

            @Override
            public long durationNanos() {
                return 1_000;
            }
        };
        TestRequest request = new TestRequest("GET", "a", "/");
        long before = heapAfterGc();

        for (int i = 0; i < CLIENTS; i++) {
            request.clientAddress = address(i);
            breaker.onRequest(request);
            breaker.exchangeEnded(ok);
        }

        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(heapAfterGc() - before).as("bytes held after the flood").isLessThan(4L << 20);
    }
}
