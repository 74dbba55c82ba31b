package io.swarmgate.bootstrap.scale;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.Predicate;

/**
 * A steady, bounded load through Swarmgate: {@code clients} threads, each sending one GET after the other over
 * keep-alive to the targets in turn (the lab nodes' addresses, never an overlay address), until {@link #stop} or
 * a cap on requests or time. Counts what a user would see: answers that pass {@code ok}, failures, the slowest.
 */
public final class LoadLoop {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int FAILURES_KEPT = 20;

    /**
     * What the load saw.
     *
     * @param failures the first failures in words, each with its time (ms since the start) and target
     * @param lastFailureMillis when the last failure was sent, ms since the start; -1 when none failed
     */
    public record Result(long sent, long failed, long slowestMillis, double seconds, List<String> failures,
            long lastFailureMillis) {
        public double perSecond() {
            return sent / seconds;
        }

        @Override
        public String toString() {
            return String.format("%d requests in %.1f s (%.0f req/s), %d failed, slowest %d ms%s", sent, seconds,
                    perSecond(), failed, slowestMillis, failures.isEmpty() ? "" : "; failures: " + failures);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<URI> targets;
    private final Predicate<String> ok;
    private final long maxRequests;
    private final long deadline;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final LongAccumulator slowest = new LongAccumulator(Math::max, 0);
    private final AtomicLong lastFailure = new AtomicLong(-1);
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final long started = System.nanoTime();
    private long stopped;

    private LoadLoop(List<URI> targets, Predicate<String> ok, long maxRequests, Duration maxTime) {
        this.targets = List.copyOf(targets);
        this.ok = ok;
        this.maxRequests = maxRequests;
        this.deadline = started + maxTime.toNanos();
    }

    /** Starts the load; {@code ok} judges an answer as "status body". */
    public static LoadLoop start(List<URI> targets, int clients, Predicate<String> ok, long maxRequests,
            Duration maxTime) {
        LoadLoop loop = new LoadLoop(targets, ok, maxRequests, maxTime);
        for (int client = 0; client < clients; client++) {
            int first = client;
            Thread thread = new Thread(() -> loop.run(first), "load-" + client);
            loop.threads.add(thread);
            thread.start();
        }
        return loop;
    }

    /** Requests sent so far. */
    public long sent() {
        return sent.get();
    }

    /** Milliseconds since the load started, on the clock of {@link Result#lastFailureMillis}. */
    public long elapsedMillis() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Failures so far. */
    public long failed() {
        return failed.get();
    }

    /** Stops the clients (each finishes its request) and answers the totals. */
    public Result stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        if (stopped == 0) {
            stopped = System.nanoTime();
        }
        return new Result(sent.get(), failed.get(), slowest.get(), (stopped - started) / 1e9,
                List.copyOf(failures), lastFailure.get());
    }

    private void run(int first) {
        for (int i = first; running.get() && System.nanoTime() < deadline; i++) {
            if (sent.incrementAndGet() > maxRequests) {
                sent.decrementAndGet();
                return;
            }
            URI target = targets.get(i % targets.size());
            long begin = System.nanoTime();
            String answer = HttpAnswer.get(http, target, REQUEST_TIMEOUT);
            long end = System.nanoTime();
            slowest.accumulate((end - begin) / 1_000_000);
            if (!ok.test(answer)) {
                failed.incrementAndGet();
                long at = (begin - started) / 1_000_000;
                lastFailure.accumulateAndGet(at, Math::max);
                if (failures.size() < FAILURES_KEPT) {
                    failures.add(at + " ms " + target.getHost() + ": " + answer);
                }
            }
        }
    }
}
