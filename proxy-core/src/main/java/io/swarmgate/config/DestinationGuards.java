package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Swarmgate's own parameters of a destination that guard its backend, as given: forward auth, retries, the circuit
 * breaker, the concurrency limit (each declared in {@link DestinationFields}), gathered from the destination so
 * that each guard's parameters are read and checked by its own class ({@code ForwardAuths}, {@code RetryRules},
 * {@code BreakerRules}, {@code ConcurrencyRules}). A string not given is empty, a list empty.
 *
 * @param authUrl             the {@code http} URL of the service asked before each request, empty for none
 * @param authRequestHeaders  the request's fields sent to it
 * @param authResponseHeaders the fields of its 2xx answer set on the request
 * @param authTimeout         how long it may take, {@code <n>ms} or {@code <n>s}
 * @param retryAttempts       the backend attempts a request may take, the first included
 * @param retryOn             the failures ({@code connect}, {@code reset}, {@code timeout}) and statuses retried
 * @param retryBackoff        the pause before the first retry, doubled for each after it
 * @param retryBudget         the share of requests retries may take, {@code <n>%}
 * @param retryNonIdempotent  whether a request that is not idempotent may be sent again
 * @param breakerErrorRatio   the share of failed requests that opens the breaker, {@code <n>%}
 * @param breakerLatency      the latency percentile that opens it, {@code p<n>:<duration>}
 * @param breakerMinRequests  the requests its window must hold before it opens
 * @param breakerWindow       the window's length
 * @param breakerOpenFor      how long it stays open before probing
 * @param breakerProbes       the probes that must succeed to close it
 * @param concurrencyLimit          the route's requests in progress at most
 * @param concurrencyLimitPerClient one client's requests in progress at most
 */
public record DestinationGuards(
        String authUrl,
        List<String> authRequestHeaders,
        List<String> authResponseHeaders,
        String authTimeout,
        String retryAttempts,
        List<String> retryOn,
        String retryBackoff,
        String retryBudget,
        String retryNonIdempotent,
        String breakerErrorRatio,
        String breakerLatency,
        String breakerMinRequests,
        String breakerWindow,
        String breakerOpenFor,
        String breakerProbes,
        String concurrencyLimit,
        String concurrencyLimitPerClient) {

    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,6})(ms|s)");

    /** The destination's guard parameters, as given. */
    static DestinationGuards of(DestinationSpec d) {
        return new DestinationGuards(d.get(DestinationFields.AUTH_URL), d.get(DestinationFields.AUTH_REQUEST_HEADERS),
                d.get(DestinationFields.AUTH_RESPONSE_HEADERS), d.get(DestinationFields.AUTH_TIMEOUT),
                d.get(DestinationFields.RETRY_ATTEMPTS), d.get(DestinationFields.RETRY_ON),
                d.get(DestinationFields.RETRY_BACKOFF), d.get(DestinationFields.RETRY_BUDGET),
                d.get(DestinationFields.RETRY_NON_IDEMPOTENT), d.get(DestinationFields.BREAKER_ERROR_RATIO),
                d.get(DestinationFields.BREAKER_LATENCY), d.get(DestinationFields.BREAKER_MIN_REQUESTS),
                d.get(DestinationFields.BREAKER_WINDOW), d.get(DestinationFields.BREAKER_OPEN_FOR),
                d.get(DestinationFields.BREAKER_PROBES), d.get(DestinationFields.CONCURRENCY_LIMIT),
                d.get(DestinationFields.CONCURRENCY_LIMIT_PER_CLIENT));
    }

    /** Checks every guard's parameters: a 400 naming the first malformed one (as {@code name} gives it). */
    void check(String reqMode, boolean http, UnaryOperator<String> name) {
        ForwardAuths.parse(this, reqMode, http, name);
        RetryRules.parse(this, reqMode, http, name);
        BreakerRules.parse(this, reqMode, http, name);
        ConcurrencyRules.parse(this, reqMode, http, name);
    }

    /**
     * A share given as {@code <n>%} or {@code <n>}, 1 to 100: a URL carries the sign only as {@code %25}, so it may
     * be left out; a 400 naming {@code name} otherwise.
     */
    static int percent(String raw, String name) {
        String digits = raw.endsWith("%") ? raw.substring(0, raw.length() - 1) : raw;
        if (!digits.matches("[1-9][0-9]{0,2}") || Integer.parseInt(digits) > 100) {
            throw invalid(name, raw, "a share of requests from 1% to 100%, such as 20% (or 20)");
        }
        return Integer.parseInt(digits);
    }

    /** A duration given as {@code <n>ms} or {@code <n>s}; a 400 naming {@code name} otherwise. */
    static Duration duration(String raw, String name) {
        Matcher duration = DURATION.matcher(raw);
        if (!duration.matches()) {
            throw invalid(name, raw, "a duration in milliseconds or seconds such as 500ms or 5s");
        }
        long amount = Long.parseLong(duration.group(1));
        return duration.group(2).equals("ms") ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
    }
}
