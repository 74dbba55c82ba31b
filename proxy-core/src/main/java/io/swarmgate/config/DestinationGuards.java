package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Swarmgate's own parameters of a destination that guard its backend, as given: forward auth, retries, the circuit
 * breaker, the concurrency limit. Kept together, apart from DFP's fields, so that each guard's parameters live in one
 * place; each is read and checked by its own class ({@code ForwardAuths}, {@code RetryRules}, {@code BreakerRules},
 * {@code ConcurrencyRules}). A string not given is empty, a list empty.
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

    public static final DestinationGuards NONE = new DestinationGuards("", List.of(), List.of(), "", "", List.of(),
            "", "", "", "", "", "", "", "", "", "", "");
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,6})(ms|s)");

    public DestinationGuards {
        // A field absent from the state of a replica that predates it.
        authUrl = authUrl == null ? "" : authUrl;
        authRequestHeaders = authRequestHeaders == null ? List.of() : List.copyOf(authRequestHeaders);
        authResponseHeaders = authResponseHeaders == null ? List.of() : List.copyOf(authResponseHeaders);
        authTimeout = authTimeout == null ? "" : authTimeout;
        retryAttempts = retryAttempts == null ? "" : retryAttempts;
        retryOn = retryOn == null ? List.of() : List.copyOf(retryOn);
        retryBackoff = retryBackoff == null ? "" : retryBackoff;
        retryBudget = retryBudget == null ? "" : retryBudget;
        retryNonIdempotent = retryNonIdempotent == null ? "" : retryNonIdempotent;
        breakerErrorRatio = breakerErrorRatio == null ? "" : breakerErrorRatio;
        breakerLatency = breakerLatency == null ? "" : breakerLatency;
        breakerMinRequests = breakerMinRequests == null ? "" : breakerMinRequests;
        breakerWindow = breakerWindow == null ? "" : breakerWindow;
        breakerOpenFor = breakerOpenFor == null ? "" : breakerOpenFor;
        breakerProbes = breakerProbes == null ? "" : breakerProbes;
        concurrencyLimit = concurrencyLimit == null ? "" : concurrencyLimit;
        concurrencyLimitPerClient = concurrencyLimitPerClient == null ? "" : concurrencyLimitPerClient;
    }

    /**
     * @param value a parameter's value by name, empty when absent
     * @param list  a parameter's value split into a list
     */
    static DestinationGuards read(UnaryOperator<String> value, Function<String, List<String>> list) {
        return new DestinationGuards(value.apply("authUrl"), list.apply("authRequestHeaders"),
                list.apply("authResponseHeaders"), value.apply("authTimeout"), value.apply("retryAttempts"),
                list.apply("retryOn"), value.apply("retryBackoff"), value.apply("retryBudget"),
                value.apply("retryNonIdempotent"), value.apply("breakerErrorRatio"), value.apply("breakerLatency"),
                value.apply("breakerMinRequests"), value.apply("breakerWindow"), value.apply("breakerOpenFor"),
                value.apply("breakerProbes"), value.apply("concurrencyLimit"),
                value.apply("concurrencyLimitPerClient"));
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
