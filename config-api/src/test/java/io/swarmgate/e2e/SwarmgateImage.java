package io.swarmgate.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The image {@code swarmgate-testbed/swarmgate:<hash>}: the repository's {@code Dockerfile} built by
 * {@code scripts/build-image.sh} (no registry: on the test bed's Java 17 image), from the packaged
 * {@code swarmgate.jar}. The tag is the start of the SHA-256 of the jar, the Dockerfile and the Java image's ID, so an
 * unchanged trio is not built again, a Java image built anew (as when it gained the libraries Netty's epoll needs) is
 * built upon, and test runs of other checkouts on the same engine never swap the image under this one.
 */
final class SwarmgateImage {
    private static final String REPOSITORY = "swarmgate-testbed/swarmgate";
    /** The base {@code scripts/build-image.sh} builds on. */
    static final String JRE_IMAGE = "swarmgate-testbed/jre17:3";
    /** Serial GC and a small heap: the test machine has two cores and the proxy runs beside the build. */
    private static final String JAVA_OPTIONS = "-XX:+UseSerialGC -Xmx192m -XX:MetaspaceSize=64m";
    private static String built;

    private SwarmgateImage() {
    }

    /** The repository's root, where the Dockerfile, the stack file and the scripts are. */
    static Path repository() {
        return Path.of(System.getProperty("swarmgate.repository", ".."));
    }

    /** Builds the image unless it exists for this very jar and Dockerfile; answers its name. */
    static synchronized String build() {
        if (built != null) {
            return built;
        }
        Path jar = repository().resolve("config-api/target/swarmgate.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: the end-to-end tests run after "
                    + "`mvn package` (they are bound to the integration-test phase)");
        }
        String base = DockerCli.run("image", "inspect", "--format", "{{.Id}}", JRE_IMAGE);
        String name = REPOSITORY + ":" + sha256(base, jar, repository().resolve("Dockerfile")).substring(0, 16);
        if (DockerCli.run("images", "-q", name).isEmpty()) {
            long started = System.nanoTime();
            DockerCli.exec(Map.of(), List.of("bash", repository().resolve("scripts/build-image.sh").toString(), name,
                    "--build-arg", "JAVA_TOOL_OPTIONS=" + JAVA_OPTIONS));
            System.out.printf("built %s from %s in %d ms%n", name, jar, (System.nanoTime() - started) / 1_000_000);
        }
        built = name;
        return name;
    }

    private static String sha256(String text, Path... files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(text.getBytes(StandardCharsets.UTF_8));
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
