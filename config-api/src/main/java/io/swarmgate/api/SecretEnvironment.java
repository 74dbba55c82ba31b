package io.swarmgate.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The environment settings are read from, as Docker Flow Proxy reads it: every variable can also come from the Docker
 * secret {@code dfp_<its name in lower case>} (e.g. {@code dfp_stats_pass} for {@code STATS_PASS}), and the secret
 * wins over the variable. The file's content is the value, without its trailing line breaks.
 */
final class SecretEnvironment {
    /** Where Docker mounts a task's secrets. */
    static final Path SECRETS_DIR = Path.of("/run/secrets");
    private static final String PREFIX = "dfp_";

    private SecretEnvironment() {
    }

    /** {@code environment} with the secrets of {@code secretsDir} over it; as it is when the directory is absent. */
    static Map<String, String> of(Map<String, String> environment, Path secretsDir) {
        Map<String, String> merged = new HashMap<>(environment);
        try (Stream<Path> files = Files.list(secretsDir)) {
            files.filter(file -> file.getFileName().toString().startsWith(PREFIX) && Files.isRegularFile(file))
                    .forEach(file -> merged.put(variable(file), read(file)));
        } catch (NoSuchFileException e) {
            return Map.copyOf(environment);
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the secrets in " + secretsDir + ": " + e, e);
        }
        return Map.copyOf(merged);
    }

    private static String variable(Path file) {
        return file.getFileName().toString().substring(PREFIX.length()).toUpperCase(Locale.ROOT);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).replaceFirst("[\r\n]+$", "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the secret " + file + ": " + e.getMessage(), e);
        }
    }
}
