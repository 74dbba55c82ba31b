package io.swarmgate.proxy.policy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * {@code breakerErrorRatio}, {@code breakerLatency}: a circuit breaker per route. Closed, it lets requests through and
 * counts how the forwarded ones end over a sliding window; once the window holds at least the minimum of requests and
 * the share of failures (a 5xx, or a backend that failed) reaches the error ratio, or the share slower than the
 * latency bound exceeds what its percentile allows, it opens. Open, it answers 503 at once, the backend untouched,
 * until its delay has passed; then it half-opens and lets a few probes through: all of them succeeding closes it,
 * one failing opens it again. Probes that never report (their clients left first) are replaced after another delay.
 *
 * <p>The state is one immutable phase swapped by compare-and-set, and the window a fixed ring of counters
 * ({@link SlidingWindow}): lock-free and of bounded size whatever the traffic. A request of a closed breaker costs
 * one volatile read; an ending exchange a few counter increments.
 */
public final class CircuitBreaker implements RoutePolicy, ExchangeObserver, PolicyStats {
    /** Its name in metrics and the access log. */
    public static final String NAME = "breaker";
    /** The breaker's state, as metrics show it. */
    public enum State {
        CLOSED, OPEN, HALF_OPEN
    }

    private static final int REQUESTS = 0;
    private static final int FAILURES = 1;
    private static final int SLOW = 2;
    private static final int BUCKETS = 10;
    private static final LocalResponse OPEN_ANSWER = LocalResponse.of(503,
            "The service is failing: its circuit breaker is open. Try again later.").by(NAME);

    private final Settings settings;
    private final SlidingWindow window;
    private final LongSupplier clock;
    private final AtomicReference<Phase> phase;
    private final LongAdder rejected = new LongAdder();
    private final LongAdder opened = new LongAdder();

    /**
     * What trips a breaker and how it recovers.
     *
     * @param errorPercent   the failures per hundred requests that open it, 0 for no such bound
     * @param slowNanos      the duration past which a request is slow, 0 for no latency bound
     * @param slowPercent    the slow requests per hundred that open it (100 minus the percentile)
     * @param minRequests    the requests the window must hold before it can open
     * @param windowNanos    the window's length
     * @param openNanos      how long it stays open before probing
     * @param probes         the probes that must all succeed to close it
     */
    public record Settings(int errorPercent, long slowNanos, int slowPercent, int minRequests, long windowNanos,
                           long openNanos, int probes) {
        public Settings {
            if (errorPercent < 0 || errorPercent > 100 || slowPercent < 0 || slowPercent > 100 || slowNanos < 0
                    || (errorPercent == 0 && slowNanos == 0) || minRequests < 1 || windowNanos < BUCKETS
                    || openNanos <= 0 || probes < 1) {
                throw new IllegalArgumentException("settings: " + errorPercent + "% errors, " + slowPercent
                        + "% slower than " + slowNanos + " ns, " + minRequests + " requests, window " + windowNanos
                        + " ns, open " + openNanos + " ns, " + probes + " probes (expected: a ratio or a latency "
                        + "bound, the rest positive)");
            }
        }
    }

    public CircuitBreaker(Settings settings) {
        this(settings, System::nanoTime);
    }

    CircuitBreaker(Settings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.window = new SlidingWindow(settings.windowNanos(), BUCKETS, 3);
        this.phase = new AtomicReference<>(new Phase(State.CLOSED, clock.getAsLong()));
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        Phase now = phase.get();
        if (now.state == State.CLOSED) {
            return PolicyResult.PROCEED;
        }
        long time = clock.getAsLong();
        if (now.state == State.OPEN) {
            if (time - now.since < settings.openNanos()) {
                rejected.increment();
                return OPEN_ANSWER;
            }
            Phase probing = new Phase(State.HALF_OPEN, time);
            now = phase.compareAndSet(now, probing) ? probing : phase.get();
        } else if (time - now.since >= settings.openNanos() && now.probesLeft.get() <= 0) {
            // Probes let through a whole delay ago never reported: their clients left. Others take their place.
            Phase probing = new Phase(State.HALF_OPEN, time);
            now = phase.compareAndSet(now, probing) ? probing : phase.get();
        }
        if (now.state == State.HALF_OPEN && now.probesLeft.get() > 0 && now.probesLeft.getAndDecrement() > 0) {
            return PolicyResult.PROCEED;
        }
        if (now.state == State.CLOSED) {
            return PolicyResult.PROCEED;
        }
        rejected.increment();
        return OPEN_ANSWER;
    }

    @Override
    public void exchangeEnded(ExchangeOutcome outcome) {
        if (!outcome.forwarded()) {
            return; // answered by the breaker itself, or by another policy: the backend was not asked
        }
        boolean failed = outcome.backendFailed() || outcome.status() >= 500;
        boolean slow = settings.slowNanos() > 0 && outcome.durationNanos() > settings.slowNanos();
        long time = clock.getAsLong();
        Phase now = phase.get();
        switch (now.state) {
            case CLOSED -> {
                window.add(time, REQUESTS);
                if (failed) {
                    window.add(time, FAILURES);
                }
                if (slow) {
                    window.add(time, SLOW);
                }
                if ((failed || slow) && trips(time)) {
                    open(now, time);
                }
            }
            case HALF_OPEN -> {
                if (failed || slow) {
                    open(now, time);
                } else if (now.successes.incrementAndGet() >= settings.probes()
                        && phase.compareAndSet(now, new Phase(State.CLOSED, time))) {
                    window.clear();
                }
            }
            case OPEN -> {
                // An exchange let through before the breaker opened: the verdict is in already.
            }
        }
    }

    private boolean trips(long time) {
        long requests = window.sum(time, REQUESTS);
        if (requests < settings.minRequests()) {
            return false;
        }
        return settings.errorPercent() > 0 && window.sum(time, FAILURES) * 100 >= requests * settings.errorPercent()
                || settings.slowNanos() > 0 && window.sum(time, SLOW) * 100 > requests * settings.slowPercent();
    }

    private void open(Phase from, long time) {
        if (phase.compareAndSet(from, new Phase(State.OPEN, time))) {
            opened.increment();
        }
    }

    public State state() {
        return phase.get().state;
    }

    @Override
    public String policy() {
        return NAME;
    }

    /** Requests answered 503 because the breaker was open. */
    @Override
    public long refused() {
        return rejected.sum();
    }

    /** Times the breaker opened. */
    public long openings() {
        return opened.sum();
    }

    /** A state and when it began; a half-open one also counts its probes. */
    private final class Phase {
        private final State state;
        private final long since;
        private final AtomicInteger probesLeft;
        private final AtomicInteger successes = new AtomicInteger();

        Phase(State state, long since) {
            this.state = state;
            this.since = since;
            this.probesLeft = new AtomicInteger(settings.probes());
        }
    }
}
