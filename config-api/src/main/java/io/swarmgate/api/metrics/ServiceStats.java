package io.swarmgate.api.metrics;

/**
 * What the data plane counted for one service since the start, read from its meters.
 *
 * @param service       the service name; empty for requests no route took
 * @param requests      requests answered or cut off
 * @param responses     by status class: 1xx, 2xx, 3xx, 4xx, 5xx, then answers cut off before they were complete
 * @param receivedBytes bytes read from clients
 * @param sentBytes     bytes written to clients
 * @param retries       requests sent again after a failed try
 * @param meanMillis    the mean time from a request's head to the end of its answer
 */
public record ServiceStats(String service, long requests, long[] responses, long receivedBytes, long sentBytes,
                           long retries, double meanMillis) {
    /** A service that has served nothing yet. */
    static ServiceStats none(String service) {
        return new ServiceStats(service, 0, new long[6], 0, 0, 0, 0);
    }

    /** Both counts added, as a frontend sums its backends; the mean weighted by requests. */
    public ServiceStats plus(ServiceStats other) {
        long[] sum = responses.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.responses[i];
        }
        long total = requests + other.requests;
        double mean = total == 0 ? 0 : (meanMillis * requests + other.meanMillis * other.requests) / total;
        return new ServiceStats(service, total, sum, receivedBytes + other.receivedBytes,
                sentBytes + other.sentBytes, retries + other.retries, mean);
    }
}
