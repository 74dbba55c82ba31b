package io.swarmgate.proxy.policy;

import static io.swarmgate.proxy.policy.MethodRuleTest.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code rateLimit}: a token bucket per client or header value, exact at its limits, bounded in the keys it tracks. */
class RateLimitTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);

    @Test
    void theRequestAfterTheBurstGets429AndTheFirstAfterRefillPasses() {
        RateLimit limit = new RateLimit(SECOND / 10, 5, null, 100, now::get);

        for (int i = 0; i < 5; i++) {
            assertThat(limit.onRequest(from("192.0.2.1"))).as("request " + (i + 1)).isSameAs(PolicyResult.PROCEED);
        }
        LocalResponse refused = (LocalResponse) limit.onRequest(from("192.0.2.1"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("1");

        now.addAndGet(SECOND / 10 - 1);
        assertThat(status(limit.onRequest(from("192.0.2.1")))).as("a nanosecond before the refill").isEqualTo(429);
        now.incrementAndGet();
        assertThat(limit.onRequest(from("192.0.2.1"))).as("the first after refill").isSameAs(PolicyResult.PROCEED);
        assertThat(status(limit.onRequest(from("192.0.2.1")))).as("only one token came back").isEqualTo(429);
        assertThat(limit.onRequest(from("192.0.2.2"))).as("another client").isSameAs(PolicyResult.PROCEED);
    }

    @Test
    void anIdleBucketFillsUpToTheBurstAndNoFurther() {
        RateLimit limit = new RateLimit(SECOND, 3, null, 100, now::get);
        for (int i = 0; i < 3; i++) {
            limit.onRequest(from("192.0.2.1"));
        }

        now.addAndGet(3_600 * SECOND);

        for (int i = 0; i < 3; i++) {
            assertThat(limit.onRequest(from("192.0.2.1"))).isSameAs(PolicyResult.PROCEED);
        }
        assertThat(status(limit.onRequest(from("192.0.2.1")))).isEqualTo(429);
    }

    @Test
    void retryAfterIsTheWholeSecondsUntilTheNextToken() {
        RateLimit limit = new RateLimit(60 * SECOND, 1, null, 100, now::get);
        limit.onRequest(from("192.0.2.1"));

        assertThat(((LocalResponse) limit.onRequest(from("192.0.2.1"))).header("Retry-After")).isEqualTo("60");
        now.addAndGet(58 * SECOND + 1);
        assertThat(((LocalResponse) limit.onRequest(from("192.0.2.1"))).header("Retry-After")).isEqualTo("2");
    }

    @Test
    void aHeaderKeysTheBucketsAndARequestWithoutItIsCountedByItsAddress() {
        RateLimit limit = new RateLimit(SECOND, 1, "X-Api-Key", 100, now::get);

        assertThat(limit.onRequest(from("192.0.2.1").header("X-Api-Key", "alpha"))).isSameAs(PolicyResult.PROCEED);
        assertThat(status(limit.onRequest(from("192.0.2.2").header("X-Api-Key", "alpha")))).isEqualTo(429);
        assertThat(limit.onRequest(from("192.0.2.1").header("X-Api-Key", "beta"))).isSameAs(PolicyResult.PROCEED);
        assertThat(limit.onRequest(from("192.0.2.1"))).as("no key: its address").isSameAs(PolicyResult.PROCEED);
        assertThat(limit.onRequest(from("192.0.2.9").header("X-Api-Key", "192.0.2.3")))
                .isSameAs(PolicyResult.PROCEED);
        assertThat(limit.onRequest(from("192.0.2.3"))).as("a header value is not an address")
                .isSameAs(PolicyResult.PROCEED);
    }

    @Test
    void headerValuesAreCutSoThatAKeyCostsBoundedMemory() {
        RateLimit limit = new RateLimit(SECOND, 1, "X-Api-Key", 100, now::get);
        String prefix = "k".repeat(RateLimit.MAX_KEY_LENGTH);

        assertThat(limit.onRequest(from("192.0.2.1").header("X-Api-Key", prefix + "1"))).isSameAs(PolicyResult.PROCEED);
        assertThat(status(limit.onRequest(from("192.0.2.1").header("X-Api-Key", prefix + "2")))).isEqualTo(429);
    }

    @Test
    void aMillionDistinctAddressesKeepTheTrackedKeysAtTheCap() {
        RateLimit limit = new RateLimit(SECOND, 10, null, RateLimit.MAX_KEYS, now::get);

        for (int i = 0; i < 1_000_000; i++) {
            assertThat(limit.onRequest(from("10." + (i >>> 16) + "." + ((i >>> 8) & 0xff) + "." + (i & 0xff))))
                    .isSameAs(PolicyResult.PROCEED);
            if (i % 100_000 == 0) {
                assertThat(limit.trackedKeys()).isLessThanOrEqualTo(RateLimit.MAX_KEYS);
            }
        }

        assertThat(limit.trackedKeys()).isEqualTo(RateLimit.MAX_KEYS);
    }

    @Test
    void concurrentTakersNeverGetMoreThanTheBurst() throws InterruptedException {
        RateLimit limit = new RateLimit(3_600 * SECOND, 1_000, null, 100, now::get);
        AtomicLong passed = new AtomicLong();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    if (limit.onRequest(from("192.0.2.1")) == PolicyResult.PROCEED) {
                        passed.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(passed.get()).isEqualTo(1_000);
    }

    private static TestRequest from(String address) {
        TestRequest request = new TestRequest("GET", "a", "/");
        request.clientAddress = address;
        return request;
    }
}
