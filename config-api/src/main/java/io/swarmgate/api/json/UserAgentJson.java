package io.swarmgate.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** DFP's {@code UserAgent}: the values ({@code null} when none) and the ACL name DFP derives from them. */
@JsonPropertyOrder({"Value", "AclName"})
record UserAgentJson(@JsonProperty("Value") List<String> value, @JsonProperty("AclName") String aclName) {

    static UserAgentJson of(List<String> values) {
        if (values.isEmpty()) {
            return new UserAgentJson(null, "");
        }
        return new UserAgentJson(values, String.join("_", values).replaceAll("[^A-Za-z0-9]+", "_"));
    }
}
