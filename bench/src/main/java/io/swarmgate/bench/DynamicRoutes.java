package io.swarmgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The dynamic-route figures of a running Swarmgate, measured through its Docker Flow Proxy API and data port.
 * Every request goes to 127.0.0.1; every loop is bounded in count and time.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.swarmgate.bench.DynamicRoutes COMMAND [--option value ...]
 *
 *   load    --services 10000 --concurrency 4   register services svc-00000 ... (path /svc-00000) to the backend
 *   effect  --probes 200 --warmup 20           reconfigure-to-effect latency: from the API call to the first request
 *                                              that the new route serves (polled on the data port), p50/p99
 *   rate    --seconds 5 --concurrency 8        reconfigures per second accepted (2xx) at full speed
 *   storm   --rate 100 --seconds 10            reconfigures at a steady rate, e.g. while wrk runs a steady load
 *   first   --services 2000                    one request to each of the first loaded services in turn, then a
 *                                              second round: what a service's first request costs over its next
 *
 * common: --api http://127.0.0.1:24084 --data http://127.0.0.1:24083 --backend-port 24080
 * </pre>
 *
 * <p>Each command ends with one machine-readable line, {@code RESULT command=... key=value ...}, that
 * bench/load/dynamic.sh reads. Latencies there are in microseconds.
 */
public final class DynamicRoutes {
    private static final long EFFECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int STORM_SERVICES = 100;
    /** Storm senders, each on its own connection, taking every fourth tick: one slow answer delays no other. */
    private static final int STORM_SENDERS = 4;

    private final String api;
    private final String data;
    private final int backendPort;
    /** Tells this run's probe services apart from an earlier run's on the same server. */
    private final String runTag = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);

    private DynamicRoutes(String api, String data, int backendPort) {
        this.api = requireLoopback(api);
        this.data = requireLoopback(data);
        this.backendPort = backendPort;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("-")) {
            usage("a command is required");
        }
        String command = args[0];
        NamedOptions o = new NamedOptions(Arrays.copyOfRange(args, 1, args.length), DynamicRoutes::usage);
        DynamicRoutes bench = new DynamicRoutes(o.get("api", "http://127.0.0.1:24084"),
                o.get("data", "http://127.0.0.1:24083"), o.getInt("backend-port", 24080));
        switch (command) {
            case "load" -> bench.load(o.getInt("services", 10_000), o.getInt("concurrency", 4));
            case "effect" -> bench.effect(o.getInt("probes", 200), o.getInt("warmup", 20));
            case "rate" -> bench.rate(o.getInt("seconds", 5), o.getInt("concurrency", 8));
            case "storm" -> bench.storm(o.getInt("rate", 100), o.getInt("seconds", 10));
            case "first" -> bench.first(o.getInt("services", 2_000));
            default -> usage("unknown command " + command);
        }
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: DynamicRoutes load|effect|rate|storm|first [--option value ...]"
                + " (see the class comment or bench/README.md)");
        System.exit(2);
    }

    // --- Commands ---------------------------------------------------------------------------------------------------

    /** Registers {@code count} services from {@code concurrency} threads; reports the time taken and the rate. */
    void load(int count, int concurrency) throws Exception {
        AtomicLong next = new AtomicLong();
        LongAdder failed = new LongAdder();
        List<String> firstErrors = new ArrayList<>();
        long start = System.nanoTime();
        runThreads(concurrency, apiConnection -> {
            for (long i; (i = next.getAndIncrement()) < count; ) {
                String name = String.format(Locale.ROOT, "svc-%05d", i);
                int status = apiConnection.get(reconfigureTarget(name, "/" + name));
                if (status / 100 != 2) {
                    failed.increment();
                    synchronized (firstErrors) {
                        if (firstErrors.size() < 3) {
                            firstErrors.add(name + ": " + status);
                        }
                    }
                }
            }
        });
        long nanos = System.nanoTime() - start;
        // One of the services must now route: the last one registered.
        String last = String.format(Locale.ROOT, "/svc-%05d/ping", count - 1);
        int probe;
        try (KeepAliveConnection dataConnection = new KeepAliveConnection(data)) {
            probe = dataConnection.get(last);
        }
        double seconds = nanos / 1e9;
        System.out.printf(Locale.ROOT, "loaded %,d services in %.2f s (%,.0f reconfigures/s, %d failed%s); GET %s -> %d%n",
                count, seconds, count / seconds, failed.sum(), firstErrors.isEmpty() ? "" : ", e.g. " + firstErrors,
                last, probe);
        System.out.printf(Locale.ROOT, "RESULT command=load services=%d seconds=%.3f per_second=%.1f failed=%d probe_status=%d%n",
                count, seconds, count / seconds, failed.sum(), probe);
    }

    /**
     * Adds {@code warmup + probes} services one at a time. For each, the clock starts as the reconfigure request is
     * sent; the data port is polled at once, on a second connection, while the API's answer is awaited, until the new
     * path answers 200; the clock stops when that response has arrived (so each figure includes one round trip: an
     * upper bound). The API's answer is timed when it is seen between two polls.
     */
    void effect(int probes, int warmup) {
        long[] effect = new long[probes];
        long[] apiLatency = new long[probes];
        int timedOut = 0;
        int apiFailed = 0;
        long pollsTotal = 0;
        try (KeepAliveConnection apiConnection = new KeepAliveConnection(api);
             KeepAliveConnection dataConnection = new KeepAliveConnection(data)) {
            for (int k = 0; k < warmup + probes; k++) {
                String name = String.format(Locale.ROOT, "probe-%s-%04d", runTag, k);
                String probePath = "/" + name + "/ping";
                long start = System.nanoTime();
                boolean apiAwaited = apiConnection.send(reconfigureTarget(name, "/" + name));
                long apiEnd = -1;
                long routed = -1;
                int polls = 0;
                while (System.nanoTime() - start < EFFECT_TIMEOUT_NANOS) {
                    if (apiAwaited && apiConnection.answerArriving()) {
                        apiEnd = answered(apiConnection.readStatus());
                        apiAwaited = false;
                    }
                    polls++;
                    if (dataConnection.get(probePath) == 200) {
                        routed = System.nanoTime();
                        break;
                    }
                }
                if (apiAwaited) {
                    apiEnd = answered(apiConnection.readStatus());
                }
                if (k < warmup) {
                    continue;
                }
                int i = k - warmup;
                pollsTotal += polls;
                if (apiEnd < 0) {
                    apiFailed++;
                }
                apiLatency[i] = apiEnd < 0 ? Long.MAX_VALUE : apiEnd - start;
                if (routed < 0) {
                    timedOut++;
                    effect[i] = Long.MAX_VALUE;
                } else {
                    effect[i] = routed - start;
                }
            }
        }
        Arrays.sort(effect);
        Arrays.sort(apiLatency);
        System.out.printf(Locale.ROOT,
                "reconfigure-to-effect over %d new services: p50 %.2f ms, p99 %.2f ms, max %s; API answer p50 %.2f ms,"
                        + " p99 %.2f ms; %d never took effect within 5 s, %d API calls failed; %.1f polls per probe%n",
                probes, ms(percentile(effect, 50)), ms(percentile(effect, 99)), msOrNever(effect[probes - 1]),
                ms(percentile(apiLatency, 50)), ms(percentile(apiLatency, 99)), timedOut, apiFailed,
                (double) pollsTotal / probes);
        System.out.printf(Locale.ROOT,
                "RESULT command=effect probes=%d p50_us=%d p99_us=%d max_us=%d api_p50_us=%d api_p99_us=%d"
                        + " timed_out=%d api_failed=%d%n",
                probes, us(percentile(effect, 50)), us(percentile(effect, 99)), us(effect[probes - 1]),
                us(percentile(apiLatency, 50)), us(percentile(apiLatency, 99)), timedOut, apiFailed);
    }

    /**
     * Reconfigures as fast as {@code concurrency} clients can for {@code seconds}; each call changes one of 100
     * services' paths (so no call is an identical, skippable update). Reports the accepted (2xx) rate.
     */
    void rate(int seconds, int concurrency) throws Exception {
        LongAdder accepted = new LongAdder();
        LongAdder rejected = new LongAdder();
        AtomicLong sequence = new AtomicLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        runThreads(concurrency, apiConnection -> {
            while (System.nanoTime() < deadline) {
                long n = sequence.getAndIncrement();
                int status = apiConnection.get(reconfigureTarget(stormName(n), stormPath(n)));
                (status / 100 == 2 ? accepted : rejected).increment();
            }
        });
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "%,.0f reconfigures/s accepted over %.1f s from %d clients (%d not accepted)%n",
                accepted.sum() / elapsed, elapsed, concurrency, rejected.sum());
        System.out.printf(Locale.ROOT, "RESULT command=rate per_second=%.1f accepted=%d rejected=%d seconds=%.3f%n",
                accepted.sum() / elapsed, accepted.sum(), rejected.sum(), elapsed);
    }

    /**
     * Sends {@code rate} reconfigures per second, evenly spaced, for {@code seconds}, from {@value #STORM_SENDERS}
     * senders that take turns (a tick whose sender is still awaiting an earlier answer a whole turn late counts as
     * missed). Reports the rate achieved and the API's latency.
     */
    void storm(int rate, int seconds) throws Exception {
        int total = rate * seconds;
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        LongAdder accepted = new LongAdder();
        LongAdder rejected = new LongAdder();
        LongAdder missed = new LongAdder();
        long[] latency = new long[total];
        Arrays.fill(latency, Long.MAX_VALUE);
        AtomicLong senders = new AtomicLong();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        System.out.println("storm started: " + rate + " reconfigures/s for " + seconds + " s");
        System.out.flush();
        runThreads(STORM_SENDERS, apiConnection -> {
            for (long n = senders.getAndIncrement(); n < total; n += STORM_SENDERS) {
                long due = start + n * interval;
                long now;
                while ((now = System.nanoTime()) < due) {
                    sleepNanos(due - now);
                }
                if (now - due > STORM_SENDERS * interval) {
                    missed.increment();
                    continue;
                }
                int status = apiConnection.get(reconfigureTarget(stormName(n), stormPath(n)));
                if (status / 100 == 2) {
                    accepted.increment();
                    latency[(int) n] = System.nanoTime() - now;
                } else {
                    rejected.increment();
                }
            }
        });
        double elapsed = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latency);
        System.out.printf(Locale.ROOT, "storm: %d accepted (%.1f/s), %d not accepted, %d ticks missed; API answer p50 %.2f ms, p99 %.2f ms%n",
                accepted.sum(), accepted.sum() / elapsed, rejected.sum(), missed.sum(), ms(percentile(latency, 50)),
                ms(percentile(latency, 99)));
        System.out.printf(Locale.ROOT,
                "RESULT command=storm accepted=%d rejected=%d missed=%d per_second=%.1f api_p50_us=%d api_p99_us=%d%n",
                accepted.sum(), rejected.sum(), missed.sum(), accepted.sum() / elapsed, us(percentile(latency, 50)),
                us(percentile(latency, 99)));
    }

    /**
     * Sends one GET to each of the services {@code load} registered first ({@code svc-00000} on), in turn on one
     * keep-alive connection, then a second round the same way; each request timed from its send to its answer. The
     * first round's requests are those services' first: whatever the proxy makes for a service when it first serves
     * it (its meters), it makes then.
     */
    void first(int services) {
        long[][] rounds = new long[2][services];
        int failed = 0;
        try (KeepAliveConnection dataConnection = new KeepAliveConnection(data)) {
            for (long[] round : rounds) {
                for (int i = 0; i < services; i++) {
                    long start = System.nanoTime();
                    if (dataConnection.get(String.format(Locale.ROOT, "/svc-%05d/ping", i)) != 200) {
                        failed++;
                    }
                    round[i] = System.nanoTime() - start;
                }
                Arrays.sort(round);
            }
        }
        long[] first = rounds[0];
        long[] next = rounds[1];
        System.out.printf(Locale.ROOT, "first request to %d services: p50 %d µs, p99 %d µs; the next: p50 %d µs, p99 %d µs;"
                        + " %d not answered 200%n", services, us(percentile(first, 50)), us(percentile(first, 99)),
                us(percentile(next, 50)), us(percentile(next, 99)), failed);
        System.out.printf(Locale.ROOT,
                "RESULT command=first services=%d first_p50_us=%d first_p99_us=%d next_p50_us=%d next_p99_us=%d"
                        + " failed=%d%n", services, us(percentile(first, 50)), us(percentile(first, 99)),
                us(percentile(next, 50)), us(percentile(next, 99)), failed);
    }

    // --- HTTP -------------------------------------------------------------------------------------------------------

    /** Storm services: 100 of them, each call moving one between two paths. */
    private String stormName(long n) {
        return String.format(Locale.ROOT, "storm-%s-%03d", runTag, n % STORM_SERVICES);
    }

    private String stormPath(long n) {
        return "/" + stormName(n) + ((n / STORM_SERVICES) % 2 == 0 ? "-a" : "-b");
    }

    /** The reconfigure call's target: one service, one path, routed to the backend on 127.0.0.1. */
    private String reconfigureTarget(String service, String path) {
        return "/v1/docker-flow-proxy/reconfigure?serviceName=" + service + "&servicePath=" + path + "&port="
                + backendPort + "&outboundHostname=127.0.0.1";
    }

    /** The time an answer was read, or -1 when it was no 2xx. */
    private static long answered(int status) {
        return status / 100 == 2 ? System.nanoTime() : -1;
    }

    private static String requireLoopback(String url) {
        String host = URI.create(url).getHost();
        if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
            throw new IllegalArgumentException("url: " + url + " (expected: a 127.0.0.1 address; this tool sends load)");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    // --- Small helpers ----------------------------------------------------------------------------------------------

    /** Runs {@code body} on {@code count} threads at once, each with its own connection to the API. */
    private void runThreads(int count, Consumer<KeepAliveConnection> body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(() -> {
                try (KeepAliveConnection apiConnection = new KeepAliveConnection(api)) {
                    body.accept(apiConnection);
                }
            }, "bench-client-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(Math.min(nanos, 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The q-th percentile of sorted values (nearest rank). */
    static long percentile(long[] sorted, int q) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    private static double ms(long nanos) {
        return nanos == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : nanos / 1e6;
    }

    private static String msOrNever(long nanos) {
        return nanos == Long.MAX_VALUE ? "never" : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static long us(long nanos) {
        return nanos == Long.MAX_VALUE ? -1 : nanos / 1000;
    }
}
