package io.swarmgate.api.metrics;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Each service's traffic over the last {@value #POINTS} samples, for the dashboard's charts: requests per second, the
 * share of 5xx answers, and the median and 99th percentile of the durations of the requests answered since the
 * previous sample. {@link #sample} reads the cumulative meters the data plane already records, off the data plane's
 * threads, and keeps the differences in a ring per service: the hot path does no extra work. A service's meters appear
 * with its first request, so what they hold when first seen is counted in that sample. A service idle for the whole
 * window holds no ring, and an idle second writes nothing: with many services, most of them quiet, neither the heap
 * nor the sample grows with the quiet ones.
 */
public final class TrafficHistory {
    /** Samples kept: five minutes at one a second. */
    public static final int POINTS = 300;

    private final ExchangeMetrics exchanges;
    private final Map<String, Series> series = new HashMap<>(); // guarded by this
    private long lastSample; // guarded by this
    private long samples; // guarded by this: samples taken, which number them from 0

    TrafficHistory(ExchangeMetrics exchanges) {
        this.exchanges = exchanges;
    }

    /**
     * One service's recent traffic, oldest first; a sample without requests has NaN percentiles.
     *
     * @param rps         requests per second
     * @param errorRatio  5xx answers over all answers, 0 without requests
     * @param p50Millis   median duration, milliseconds
     * @param p99Millis   99th percentile of the durations, milliseconds
     * @param requests    requests counted since the start
     * @param ejections   times a task was ejected since the start
     */
    public record Window(float[] rps, float[] errorRatio, float[] p50Millis, float[] p99Millis, long requests,
                         long ejections) {
    }

    /**
     * Reads every service's meters and records the differences since the previous call. The meters are read where
     * the data plane keeps them, not searched for in the registry (a search walks every meter), and a service that
     * answered nothing since the previous call has no histogram to read, no errors to sum and no point to write: with
     * 10,000 services that had traffic, the searches and a histogram snapshot for each took 71 ms and 34 MB a second
     * (0.3 ms and 34 B now, when idle: {@code TrafficSampleBenchmark}).
     */
    public synchronized void sample(long nowMillis) {
        double seconds = lastSample == 0 ? 1 : Math.max(1, nowMillis - lastSample) / 1000.0;
        lastSample = nowMillis;
        long sample = samples++;
        exchanges.read((service, counts) -> {
            Series s = series.get(service); // not computeIfAbsent: its lambda would capture the sample, one per service
            if (s == null) {
                s = new Series(sample);
                series.put(service, s);
            }
            s.add(sample, counts, seconds);
        });
    }

    /**
     * A service's requests and 5xx answers over the window, summed from its samples (each its rate over its second).
     *
     * @param requests about the requests answered in the window
     * @param errors   about how many of them were 5xx
     */
    public record Recent(double requests, double errors) {
    }

    /**
     * The services that answered requests within the window, with how many and how many failed: what ordering them by
     * traffic or by errors needs, at a cost that grows with the services that had traffic, not with every service.
     */
    public synchronized Map<String, Recent> recent() {
        Map<String, Recent> recent = new HashMap<>();
        series.forEach((service, s) -> {
            Recent r = s.recent(samples - 1);
            if (r != null) {
                recent.put(service, r);
            }
        });
        return recent;
    }

    /** Drops the service's samples: it was removed. */
    synchronized void forget(String service) {
        series.remove(service);
    }

    /** When the last sample was taken, in milliseconds since the epoch; 0 before the first. */
    public synchronized long lastSample() {
        return lastSample;
    }

    /**
     * The service's window ("" for the requests no route took), or null when it was never sampled: one service's, so a
     * page of the dashboard costs its own services' windows, not every service's.
     */
    public synchronized @Nullable Window window(String service) {
        Series s = series.get(service);
        return s == null ? null : s.window(samples - 1);
    }

    /**
     * A ring of samples, indexed by sample number; the previous cumulative readings turn the next ones into
     * differences. Only samples with requests are written (the idle ones before them as they are), and the ring is
     * dropped once every sample of the window is idle.
     */
    private static final class Series {
        private final long first;
        /** The last sample written: those after it were idle. */
        private long written = -1;
        private float[] rps;
        private float[] errorRatio;
        private float[] p50;
        private float[] p99;
        private long requests;
        private long errors;
        private long ejections;
        private double[] buckets;

        Series(long first) {
            this.first = first;
        }

        void add(long sample, ExchangeMetrics.ServiceCounts counted, double seconds) {
            long requestsNow = counted.requests();
            long answered = requestsNow - requests;
            if (answered != 0) {
                long errorsNow = counted.errors();
                CountAtBucket[] bucketsNow = counted.duration().takeSnapshot().histogramCounts();
                double[] counts = new double[bucketsNow.length];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = bucketsNow[i].count();
                }
                if (buckets == null) {
                    buckets = new double[counts.length];
                }
                point(sample, (float) (answered / seconds), (float) (errorsNow - errors) / answered,
                        percentile(bucketsNow, counts, answered, 0.5), percentile(bucketsNow, counts, answered, 0.99));
                buckets = counts;
                errors = errorsNow;
            } else if (rps != null && sample - written >= POINTS) {
                rps = errorRatio = p50 = p99 = null;
            }
            requests = requestsNow;
            ejections = counted.ejections();
        }

        private void point(long sample, float rpsNow, float errorRatioNow, float p50Now, float p99Now) {
            if (rps == null) {
                rps = new float[POINTS];
                errorRatio = new float[POINTS];
                p50 = new float[POINTS];
                p99 = new float[POINTS];
                Arrays.fill(p50, Float.NaN); // every sample of the window so far was idle
                Arrays.fill(p99, Float.NaN);
                written = sample - 1;
            }
            for (long idle = Math.max(written + 1, sample - POINTS + 1); idle < sample; idle++) {
                set(idle, 0, 0, Float.NaN, Float.NaN);
            }
            set(sample, rpsNow, errorRatioNow, p50Now, p99Now);
            written = sample;
        }

        private void set(long sample, float rpsNow, float errorRatioNow, float p50Now, float p99Now) {
            int slot = (int) (sample % POINTS);
            rps[slot] = rpsNow;
            errorRatio[slot] = errorRatioNow;
            p50[slot] = p50Now;
            p99[slot] = p99Now;
        }

        /**
         * The {@code q} quantile of the durations recorded since the previous sample, from the histogram's cumulative
         * buckets (each counts the durations up to its bound), interpolated within its bucket as Prometheus'
         * {@code histogram_quantile} does. Beyond the last bound, that bound.
         */
        private float percentile(CountAtBucket[] bounds, double[] counts, long total, double q) {
            if (total <= 0 || buckets.length != counts.length || counts.length == 0) {
                return Float.NaN;
            }
            double rank = q * total;
            double lowerBound = 0;
            double lowerCount = 0;
            for (int i = 0; i < counts.length; i++) {
                double count = counts[i] - buckets[i];
                double upperBound = bounds[i].bucket(TimeUnit.MILLISECONDS);
                if (count >= rank) {
                    double inBucket = count - lowerCount;
                    double share = inBucket == 0 ? 1 : (rank - lowerCount) / inBucket;
                    return (float) (lowerBound + (upperBound - lowerBound) * share);
                }
                lowerBound = upperBound;
                lowerCount = count;
            }
            return (float) lowerBound;
        }

        /** The requests and errors of the window that ends with sample {@code last}; null without requests. */
        @Nullable Recent recent(long last) {
            if (rps == null) {
                return null;
            }
            double requestsNow = 0;
            double errorsNow = 0;
            for (long sample = Math.max(first, last - POINTS + 1); sample <= Math.min(written, last); sample++) {
                int slot = (int) (sample % POINTS);
                requestsNow += rps[slot];
                errorsNow += rps[slot] * errorRatio[slot];
            }
            return requestsNow > 0 ? new Recent(requestsNow, errorsNow) : null;
        }

        /** The window that ends with sample {@code last}, oldest first. */
        Window window(long last) {
            int size = (int) Math.min(last - first + 1, POINTS);
            float[] rpsWindow = new float[size];
            float[] errorRatioWindow = new float[size];
            float[] p50Window = new float[size];
            float[] p99Window = new float[size];
            for (int i = 0; i < size; i++) {
                long sample = last - size + 1 + i;
                boolean held = rps != null && sample <= written;
                int slot = (int) (sample % POINTS);
                rpsWindow[i] = held ? rps[slot] : 0;
                errorRatioWindow[i] = held ? errorRatio[slot] : 0;
                p50Window[i] = held ? p50[slot] : Float.NaN;
                p99Window[i] = held ? p99[slot] : Float.NaN;
            }
            return new Window(rpsWindow, errorRatioWindow, p50Window, p99Window, requests, ejections);
        }
    }
}
