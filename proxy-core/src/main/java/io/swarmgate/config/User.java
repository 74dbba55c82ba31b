package io.swarmgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A basic-auth user of one service.
 *
 * @param username      the user name
 * @param password      the password, or empty when it is to be taken from the global user list
 * @param passEncrypted whether {@code password} is a crypt(3) hash rather than plain text
 */
public record User(String username, String password, boolean passEncrypted) {
    private static final Pattern SEPARATORS = Pattern.compile("[,\n]");

    public User {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /**
     * Reads {@code user:password} pairs separated by commas or lines; a user without a password takes it from the
     * global list.
     *
     * @param parameter named in the message of a malformed list, which never shows a password
     */
    static List<User> parseList(String parameter, String raw, boolean passEncrypted) {
        List<User> users = new ArrayList<>();
        if (raw.isEmpty()) {
            return users;
        }
        for (String entry : SEPARATORS.split(raw)) {
            String user = entry.strip();
            if (user.isEmpty()) {
                continue;
            }
            int colon = user.indexOf(':');
            String name = colon < 0 ? user : user.substring(0, colon).strip();
            String password = colon < 0 ? "" : user.substring(colon + 1).strip();
            if (name.isEmpty() || (colon >= 0 && password.isEmpty())) {
                throw ParameterValues.invalid(parameter, name.isEmpty() ? ":***" : name + ":",
                        "user:password pairs separated by commas");
            }
            users.add(new User(name, password, passEncrypted));
        }
        return users;
    }

    @Override
    public String toString() {
        return username + ":***";
    }
}
