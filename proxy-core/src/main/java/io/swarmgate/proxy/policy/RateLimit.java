package io.swarmgate.proxy.policy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * {@code rateLimit}, {@code rateLimitBurst}, {@code rateLimitBy}: a token bucket per client address, or per value of
 * a header, refilled at the average rate and holding the burst; a request that finds its bucket empty gets 429 with
 * {@code Retry-After}, the seconds until a token is due. The count is this replica's own: replicas share no state, so
 * that a request never waits on another machine; with N replicas a client can get up to N times the rate.
 */
public final class RateLimit implements RoutePolicy, PolicyStats {
    /** Its name in metrics and the access log. */
    public static final String NAME = "ratelimit";
    /** Keys tracked per route: a flood of distinct addresses or header values costs at most this many buckets. */
    public static final int MAX_KEYS = 65_536;
    /** A header value longer than this is cut: no client makes a bucket's key as large as its header. */
    static final int MAX_KEY_LENGTH = 128;

    private final String header;
    private final TokenBuckets byHeader;
    private final TokenBuckets byAddress;
    private final LongSupplier clock;
    private final LocalResponse[] tooMany;
    private final LongAdder refused = new LongAdder();

    /**
     * @param interval nanoseconds between two tokens, the average rate's inverse
     * @param burst    the requests a full bucket lets through at once
     * @param header   the header whose value keys the buckets, or {@code null} for the client address; a request
     *                 without it is counted by its address, apart from the header values
     */
    public RateLimit(long interval, int burst, String header) {
        this(interval, burst, header, MAX_KEYS, System::nanoTime);
    }

    RateLimit(long interval, int burst, String header, int maxKeys, LongSupplier clock) {
        this.header = header;
        this.byHeader = header == null ? null : new TokenBuckets(interval, burst, maxKeys);
        this.byAddress = new TokenBuckets(interval, burst, maxKeys);
        this.clock = clock;
        // A client that finds its bucket empty waits at most one interval: one answer per whole second of that wait.
        int longest = (int) Math.max(1, (interval + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
        this.tooMany = new LocalResponse[longest];
        for (int i = 0; i < longest; i++) {
            tooMany[i] = LocalResponse.of(429, "Too many requests: try again later.")
                    .withHeader("Retry-After", Integer.toString(i + 1)).by(NAME);
        }
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        String key = header == null ? null : request.header(header);
        TokenBuckets buckets = key == null ? byAddress : byHeader;
        if (key == null) {
            key = request.clientAddress();
        } else if (key.length() > MAX_KEY_LENGTH) {
            key = key.substring(0, MAX_KEY_LENGTH);
        }
        long wait = buckets.take(key, clock.getAsLong());
        if (wait == 0) {
            return PolicyResult.PROCEED;
        }
        refused.increment();
        long seconds = (wait + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
        return tooMany[(int) Math.min(seconds, tooMany.length) - 1];
    }

    @Override
    public String policy() {
        return NAME;
    }

    @Override
    public long refused() {
        return refused.sum();
    }

    /** The keys tracked now, header values and addresses together. */
    int trackedKeys() {
        return byAddress.size() + (byHeader == null ? 0 : byHeader.size());
    }
}
