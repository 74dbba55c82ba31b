package io.swarmgate.proxy.policy;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@code retryBudget}: retries never exceed a share of the route's requests over the last ten seconds, so that a
 * backend in trouble gets at most that much more traffic than its clients send. It is a policy of the route only to
 * count each request as it comes, and always lets it go on; the route's {@link RetryPolicy} asks it before a retry.
 */
public final class RetryBudget implements RoutePolicy {
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int REQUESTS = 0;
    private static final int RETRIES = 1;

    private final int percent;
    private final SlidingWindow window = new SlidingWindow(WINDOW_NANOS, 10, 2);
    private final LongSupplier clock;

    /** @param percent the retries allowed per hundred requests, 1 to 100 */
    public RetryBudget(int percent) {
        this(percent, System::nanoTime);
    }

    RetryBudget(int percent, LongSupplier clock) {
        if (percent < 1 || percent > 100) {
            throw new IllegalArgumentException("percent: " + percent + " (expected: 1 to 100)");
        }
        this.percent = percent;
        this.clock = clock;
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        window.add(clock.getAsLong(), REQUESTS);
        return PolicyResult.PROCEED;
    }

    /** Takes a retry out of the budget; false when the window's retries already reach the share. */
    boolean tryRetry() {
        long now = clock.getAsLong();
        if ((window.sum(now, RETRIES) + 1) * 100 > window.sum(now, REQUESTS) * percent) {
            return false;
        }
        window.add(now, RETRIES);
        return true;
    }
}
