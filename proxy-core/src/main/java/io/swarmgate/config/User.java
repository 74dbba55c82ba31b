package io.swarmgate.config;

import java.util.Objects;

/**
 * A basic-auth user of one service.
 *
 * @param username      the user name
 * @param password      the password, or empty when it is to be taken from the global user list
 * @param passEncrypted whether {@code password} is a crypt(3) hash rather than plain text
 */
public record User(String username, String password, boolean passEncrypted) {
    public User {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return username + ":***";
    }
}
