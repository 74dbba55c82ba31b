package io.swarmgate.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A steady, bounded load: a few threads sending GETs one after another over keep-alive connections until closed, or
 * until {@link #LIMIT} has passed, each outcome recorded in order of completion.
 */
final class RequestLoop implements AutoCloseable {
    static final Duration LIMIT = Duration.ofMinutes(2);

    /** One request's answer: its status and body, or what went wrong instead (status 0). */
    record Outcome(int status, String body) {
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
        request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5)).build();
        threads = Executors.newFixedThreadPool(threadCount);
        for (int i = 0; i < threadCount; i++) {
            threads.execute(this::send);
        }
    }

    private void send() {
        while (!stopped && System.nanoTime() < deadline) {
            Outcome outcome;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                outcome = new Outcome(response.statusCode(), response.body().trim());
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                outcome = new Outcome(0, e.toString());
            }
            synchronized (outcomes) {
                outcomes.add(outcome);
            }
        }
    }

    /** Every outcome so far. */
    List<Outcome> outcomes() {
        synchronized (outcomes) {
            return List.copyOf(outcomes);
        }
    }

    /** The last {@code n} outcomes (fewer when there are not so many yet). */
    List<Outcome> last(int n) {
        synchronized (outcomes) {
            return List.copyOf(outcomes.subList(Math.max(0, outcomes.size() - n), outcomes.size()));
        }
    }

    /** Lets every request in flight finish, then stops. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        threads.shutdown();
        if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("requests still in flight 10 s after the loop was closed");
        }
    }
}
