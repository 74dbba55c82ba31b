package io.swarmgate.api.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swarmgate.config.User;

/**
 * A user as DFP lists it, with the password masked: DFP echoes passwords in every answer and in
 * {@code /config?type=json}, where anyone who can reach the API (often the whole overlay network) reads them.
 */
@JsonPropertyOrder({"Username", "Password", "PassEncrypted"})
record UserJson(
        @JsonProperty("Username") String username,
        @JsonProperty("Password") String password,
        @JsonProperty("PassEncrypted") boolean passEncrypted) {

    static final String MASK = "***";

    static UserJson of(User user) {
        return new UserJson(user.username(), MASK, user.passEncrypted());
    }
}
