package io.swarmgate.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A steady, bounded load: a few threads sending GETs one after another over keep-alive connections until closed, or
 * until {@link #LIMIT} has passed, each outcome recorded in order of completion. A request may take up to
 * {@link #REQUEST_TIMEOUT}: longer than the proxy's connect timeout (5 s) and a retry after it, so that a request the
 * proxy saves by retrying counts as served, however slowly; {@link #slowest()} tells how slowly.
 */
final class RequestLoop implements AutoCloseable {
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    /**
     * One request's answer: its status and body, or what went wrong instead (status 0), and how long it took;
     * {@code cutShort} when its head arrived but its body broke off.
     */
    record Outcome(int status, String body, long millis, boolean cutShort) {
        boolean ok() {
            return status == 200;
        }
    }

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final HttpRequest request;
    private final ExecutorService threads;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final long deadline = System.nanoTime() + LIMIT.toNanos();
    private volatile boolean stopped;

    RequestLoop(URI target, int threadCount) {
        request = HttpRequest.newBuilder(target).timeout(REQUEST_TIMEOUT).build();
        threads = Executors.newFixedThreadPool(threadCount);
        for (int i = 0; i < threadCount; i++) {
            threads.execute(this::send);
        }
    }

    private void send() {
        while (!stopped && System.nanoTime() < deadline) {
            Outcome outcome;
            long started = System.nanoTime();
            boolean[] headArrived = {false};
            try {
                HttpResponse<String> response = http.send(request, head -> {
                    headArrived[0] = true;
                    return HttpResponse.BodyHandlers.ofString().apply(head);
                });
                outcome = new Outcome(response.statusCode(), response.body().trim(), millisSince(started), false);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                outcome = new Outcome(0, e.toString(), millisSince(started), headArrived[0]);
            }
            synchronized (outcomes) {
                outcomes.add(outcome);
            }
        }
    }

    int count() {
        synchronized (outcomes) {
            return outcomes.size();
        }
    }

    /** The tasks (the bodies) that answered the last {@code n} requests successfully. */
    Set<String> lastServedBy(int n) {
        synchronized (outcomes) {
            return outcomes.subList(Math.max(0, outcomes.size() - n), outcomes.size()).stream()
                    .filter(Outcome::ok).map(Outcome::body).collect(Collectors.toSet());
        }
    }

    /** The requests that did not get a 200. */
    List<Outcome> failures() {
        synchronized (outcomes) {
            return outcomes.stream().filter(outcome -> !outcome.ok()).toList();
        }
    }

    /** The longest a request took. */
    long slowest() {
        synchronized (outcomes) {
            return outcomes.stream().mapToLong(Outcome::millis).max().orElse(0);
        }
    }

    /** A line for the test's output: how many requests, how many failed, the slowest. */
    String summary() {
        return count() + " requests, " + failures().size() + " failed, the slowest took " + slowest() + " ms";
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** Lets every request in flight finish, then stops. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        threads.shutdown();
        if (!threads.awaitTermination(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("requests still in flight after the loop was closed");
        }
    }
}
