package io.swarmgate.bootstrap.proxy;

import io.swarmgate.bootstrap.BootstrapException;
import io.swarmgate.bootstrap.Console;
import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.engine.Images;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Swarmgate's image built on the manager from {@code swarmgate.jar} on a Java 17 base image. The jar's SHA-256 is a
 * label of the image, so an unchanged jar is not built again.
 */
final class SwarmgateImage {
    private static final String JAR_LABEL = "io.swarmgate.jar-sha256";

    private SwarmgateImage() {
    }

    /** Builds {@code image} unless the manager has it from this very jar. */
    static void build(Engine manager, Path jar, String baseImage, String image, Console console) {
        if (!Files.isRegularFile(jar)) {
            throw new BootstrapException("--jar " + jar + ": no such file (`mvn package` builds "
                    + "config-api/target/swarmgate.jar)");
        }
        String sha256 = sha256(jar);
        boolean current = manager.api().listImagesCmd().withImageNameFilter(image)
                .withLabelFilter(Map.of(JAR_LABEL, sha256)).exec().stream()
                .anyMatch(found -> found.getRepoTags() != null && List.of(found.getRepoTags()).contains(image));
        if (current) {
            console.unchanged("image " + image + ": already built from this " + jar.getFileName());
            return;
        }
        try {
            Path context = Files.createTempDirectory("swarmgate-image");
            try {
                Files.copy(jar, context.resolve("swarmgate.jar"));
                Files.writeString(context.resolve("Dockerfile"), String.join("\n",
                        "FROM " + baseImage,
                        "COPY swarmgate.jar /opt/swarmgate/swarmgate.jar",
                        "EXPOSE 80 8080",
                        "ENTRYPOINT [\"java\", \"-XX:+UseSerialGC\", \"-Xmx192m\", \"-XX:MetaspaceSize=64m\", "
                                + "\"-jar\", \"/opt/swarmgate/swarmgate.jar\"]",
                        "HEALTHCHECK --interval=5s --timeout=3s --start-period=30s "
                                + "CMD wget -q -O /dev/null http://127.0.0.1:8080/ready",
                        ""));
                Images.build(manager, context, image, Map.of(JAR_LABEL, sha256), console);
            } finally {
                Files.deleteIfExists(context.resolve("swarmgate.jar"));
                Files.deleteIfExists(context.resolve("Dockerfile"));
                Files.delete(context);
            }
        } catch (IOException e) {
            throw new BootstrapException("building " + image + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(Path file) {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new BootstrapException("reading " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
