package io.swarmgate.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swarmgate.config.DestinationGuards;
import java.util.List;

/** A destination's guards of its backend, as given, under DFP-style names: unwrapped into {@link DestinationJson}. */
@JsonPropertyOrder({"AuthUrl", "AuthRequestHeaders", "AuthResponseHeaders", "AuthTimeout", "RetryAttempts", "RetryOn",
        "RetryBackoff", "RetryBudget", "RetryNonIdempotent", "BreakerErrorRatio", "BreakerLatency",
        "BreakerMinRequests", "BreakerWindow", "BreakerOpenFor", "BreakerProbes", "ConcurrencyLimit",
        "ConcurrencyLimitPerClient"})
record GuardsJson(
        @JsonProperty("AuthUrl") String authUrl,
        @JsonProperty("AuthRequestHeaders") List<String> authRequestHeaders,
        @JsonProperty("AuthResponseHeaders") List<String> authResponseHeaders,
        @JsonProperty("AuthTimeout") String authTimeout,
        @JsonProperty("RetryAttempts") String retryAttempts,
        @JsonProperty("RetryOn") List<String> retryOn,
        @JsonProperty("RetryBackoff") String retryBackoff,
        @JsonProperty("RetryBudget") String retryBudget,
        @JsonProperty("RetryNonIdempotent") String retryNonIdempotent,
        @JsonProperty("BreakerErrorRatio") String breakerErrorRatio,
        @JsonProperty("BreakerLatency") String breakerLatency,
        @JsonProperty("BreakerMinRequests") String breakerMinRequests,
        @JsonProperty("BreakerWindow") String breakerWindow,
        @JsonProperty("BreakerOpenFor") String breakerOpenFor,
        @JsonProperty("BreakerProbes") String breakerProbes,
        @JsonProperty("ConcurrencyLimit") String concurrencyLimit,
        @JsonProperty("ConcurrencyLimitPerClient") String concurrencyLimitPerClient) {

    static GuardsJson of(DestinationGuards g) {
        return new GuardsJson(g.authUrl(), g.authRequestHeaders(), g.authResponseHeaders(), g.authTimeout(),
                g.retryAttempts(), g.retryOn(), g.retryBackoff(), g.retryBudget(), g.retryNonIdempotent(),
                g.breakerErrorRatio(), g.breakerLatency(), g.breakerMinRequests(), g.breakerWindow(),
                g.breakerOpenFor(), g.breakerProbes(), g.concurrencyLimit(), g.concurrencyLimitPerClient());
    }
}
