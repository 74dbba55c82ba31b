package io.swarmgate.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swarmgate.config.DestinationGuards;
import java.util.List;

/** A destination's guards of its backend, as given, under DFP-style names: unwrapped into {@link DestinationJson}. */
@JsonPropertyOrder({"AuthUrl", "AuthRequestHeaders", "AuthResponseHeaders", "AuthTimeout"})
record GuardsJson(
        @JsonProperty("AuthUrl") String authUrl,
        @JsonProperty("AuthRequestHeaders") List<String> authRequestHeaders,
        @JsonProperty("AuthResponseHeaders") List<String> authResponseHeaders,
        @JsonProperty("AuthTimeout") String authTimeout) {

    static GuardsJson of(DestinationGuards g) {
        return new GuardsJson(g.authUrl(), g.authRequestHeaders(), g.authResponseHeaders(), g.authTimeout());
    }
}
