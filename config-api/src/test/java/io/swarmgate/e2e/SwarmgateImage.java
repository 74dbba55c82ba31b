package io.swarmgate.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The image {@value #NAME}: the repository's {@code Dockerfile} built by {@code scripts/build-image.sh} (no
 * registry: on the test bed's Java 17 image), from the packaged {@code swarmgate.jar}. The SHA-256 of the jar and the
 * Dockerfile is a label of the image, so it is built again only when either changed, and at most once per test run.
 */
final class SwarmgateImage {
    static final String NAME = "swarmgate-testbed/swarmgate:test";
    private static final String BUILD_LABEL = "io.swarmgate.build-sha256";
    /** Serial GC and a small heap: the test machine has two cores and the proxy runs beside the build. */
    private static final String JAVA_OPTIONS = "-XX:+UseSerialGC -Xmx192m";
    private static boolean current;

    private SwarmgateImage() {
    }

    /** The repository's root, where the Dockerfile, the stack file and the scripts are. */
    static Path repository() {
        return Path.of(System.getProperty("swarmgate.repository", ".."));
    }

    /** Builds the image unless it holds this very jar and Dockerfile; answers its name. */
    static synchronized String build() {
        if (current) {
            return NAME;
        }
        Path jar = repository().resolve("config-api/target/swarmgate.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: the end-to-end tests run after "
                    + "`mvn package` (they are bound to the integration-test phase)");
        }
        String sha256 = sha256(jar, repository().resolve("Dockerfile"));
        if (DockerCli.run("images", "-q", "--filter", "label=" + BUILD_LABEL + "=" + sha256, NAME).isEmpty()) {
            long started = System.nanoTime();
            DockerCli.exec(Map.of(), List.of("bash", repository().resolve("scripts/build-image.sh").toString(), NAME,
                    "--label", BUILD_LABEL + "=" + sha256, "--build-arg", "JAVA_TOOL_OPTIONS=" + JAVA_OPTIONS));
            System.out.printf("built %s from %s in %d ms%n", NAME, jar, (System.nanoTime() - started) / 1_000_000);
        }
        current = true;
        return NAME;
    }

    private static String sha256(Path... files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path file : files) {
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buffer = new byte[64 * 1024];
                    for (int read; (read = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, read);
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
