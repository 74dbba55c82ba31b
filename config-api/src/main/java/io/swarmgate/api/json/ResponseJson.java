package io.swarmgate.api.json;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * DFP's {@code Response}: status, message and service name, then the whole service embedded. Its own
 * {@code ServiceName} hides the service's, as the outer field does in DFP's Go struct.
 */
@JsonPropertyOrder({"Status", "Message", "ServiceName"})
record ResponseJson(
        @JsonProperty("Status") String status,
        @JsonProperty("Message") String message,
        @JsonProperty("ServiceName") String serviceName,
        @JsonUnwrapped @JsonIgnoreProperties("ServiceName") ServiceJson service) {
}
