package io.swarmgate.config;

import io.swarmgate.proxy.policy.Compression;
import io.swarmgate.proxy.route.ConnectionMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rules that apply to every service unless it sets its own, from Docker Flow Proxy's environment: the users of
 * {@code USERS} (or the {@code dfp_users} secret) that protect every service, where {@code usersSecret} files are,
 * and {@code CONNECTION_MODE}.
 *
 * @param users          users protecting every service (realm {@code defaultRealm}); empty for none
 * @param secretsDir     where {@code dfp_users} and {@code dfp_users_<usersSecret>} are read
 * @param connectionMode the default {@code connectionMode}; empty for keep-alive
 * @param discoveryType  the default {@code discoveryType}: {@code DNS} to balance over tasks, else the VIP
 * @param compressionAlgo the default {@code compressionAlgo} ({@code COMPRESSION_ALGO}); empty for none
 * @param compressionType the default {@code compressionType} ({@code COMPRESSION_TYPE})
 */
public record GlobalRules(List<User> users, Path secretsDir, String connectionMode, String discoveryType,
                          String compressionAlgo, String compressionType) {
    public static final GlobalRules NONE = new GlobalRules(List.of(), Path.of("/run/secrets"), "", "", "", "");

    public GlobalRules(List<User> users, Path secretsDir, String connectionMode, String discoveryType) {
        this(users, secretsDir, connectionMode, discoveryType, "", "");
    }

    public GlobalRules {
        users = List.copyOf(users);
        Objects.requireNonNull(secretsDir, "secretsDir");
        Objects.requireNonNull(connectionMode, "connectionMode");
        Objects.requireNonNull(discoveryType, "discoveryType");
        Objects.requireNonNull(compressionAlgo, "compressionAlgo");
        Objects.requireNonNull(compressionType, "compressionType");
    }

    /**
     * Reads {@code USERS} and {@code USERS_PASS_ENCRYPTED}, else the {@code dfp_users} secret,
     * {@code CONNECTION_MODE}, {@code COMPRESSION_ALGO} and {@code COMPRESSION_TYPE}.
     *
     * @param discoveryType the default {@code discoveryType}
     * @throws InvalidServiceException naming the variable when a value is malformed
     */
    public static GlobalRules fromEnvironment(Map<String, String> environment, Path secretsDir, String discoveryType) {
        boolean encrypted = Boolean.TRUE.equals(GoBooleans.parse(environment.getOrDefault("USERS_PASS_ENCRYPTED", "")));
        String users = environment.getOrDefault("USERS", "");
        if (users.isBlank()) {
            users = readSecret(secretsDir.resolve("dfp_users"));
        }
        String connectionMode = environment.getOrDefault("CONNECTION_MODE", "");
        String compressionAlgo = environment.getOrDefault("COMPRESSION_ALGO", "");
        // Checked here, at start: a bad default would otherwise refuse every later reconfigure, naming a parameter
        // the user never sent.
        checked("CONNECTION_MODE", () -> ConnectionMode.of(connectionMode));
        if (!compressionAlgo.isBlank()) {
            checked("COMPRESSION_ALGO", () -> new Compression(RouteCompiler.words(compressionAlgo), List.of()));
        }
        return new GlobalRules(User.parseList("USERS", users, encrypted), secretsDir, connectionMode, discoveryType,
                compressionAlgo, environment.getOrDefault("COMPRESSION_TYPE", ""));
    }

    /** Runs a parameter's check on a variable's value; its refusal names the variable instead of the parameter. */
    private static void checked(String variable, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw InvalidServiceException.badRequest(variable + message.substring(message.indexOf(':')));
        }
    }

    /** The users of the {@code usersSecret} file {@code dfp_users_<name>}; empty when it does not exist. */
    List<User> secretUsers(String name, boolean encrypted) {
        if (name.isEmpty()) {
            return List.of();
        }
        return User.parseList("usersSecret", readSecret(secretsDir.resolve("dfp_users_" + name)), encrypted);
    }

    private static String readSecret(Path file) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw InvalidServiceException.badRequest("cannot read " + file + ": " + e.getMessage());
        }
    }
}
