package io.swarmgate.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The image {@value #NAME}: the packaged {@code swarmgate.jar} on the test bed's Java 17 image, built by a plain
 * {@code docker build} (no registry). The jar's SHA-256 is a label of the image, so it is built again only when the
 * jar changed, and at most once per test run.
 */
final class SwarmgateImage {
    static final String NAME = "swarmgate-testbed/swarmgate:test";
    private static final String JAR_LABEL = "io.swarmgate.jar-sha256";
    private static boolean current;

    private SwarmgateImage() {
    }

    /** Builds the image unless it holds this very jar; answers its name. */
    static synchronized String build() {
        if (current) {
            return NAME;
        }
        Path jar = Path.of(System.getProperty("swarmgate.jar", "target/swarmgate.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: the end-to-end tests run after "
                    + "`mvn package` (they are bound to the integration-test phase)");
        }
        String sha256 = sha256(jar);
        if (DockerCli.run("images", "-q", "--filter", "label=" + JAR_LABEL + "=" + sha256, NAME).isEmpty()) {
            long started = System.nanoTime();
            dockerBuild(jar, sha256);
            System.out.printf("built %s from %s in %d ms%n", NAME, jar, (System.nanoTime() - started) / 1_000_000);
        }
        current = true;
        return NAME;
    }

    /** In a context of its own: the jar and the Dockerfile, nothing else of target/ is sent to the engine. */
    private static void dockerBuild(Path jar, String sha256) {
        Path dockerfile = Path.of(System.getProperty("swarmgate.dockerfile", "src/test/docker/Dockerfile"));
        try {
            Path context = Files.createTempDirectory("swarmgate-image");
            try {
                Files.copy(dockerfile, context.resolve("Dockerfile"));
                Files.copy(jar, context.resolve("swarmgate.jar"));
                DockerCli.run("build", "-q", "--label", JAR_LABEL + "=" + sha256, "-t", NAME, context.toString());
            } finally {
                Files.deleteIfExists(context.resolve("Dockerfile"));
                Files.deleteIfExists(context.resolve("swarmgate.jar"));
                Files.delete(context);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
