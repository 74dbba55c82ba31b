package io.swarmgate.bootstrap;

import static org.junit.jupiter.api.Assertions.fail;

import io.swarmgate.bootstrap.engine.Engine;
import io.swarmgate.bootstrap.engine.Images;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What the lab tests need from this machine: root, Debian's dockerd, the test bed's engine with its images, the
 * registry binary and Swarmgate's jar. Missing, the tests fail when {@code CI} is set and are skipped otherwise,
 * saying why and how to get it.
 */
final class LabPrerequisites {
    static final String HOST_ENGINE = "unix:///var/run/docker.sock";
    static final List<String> IMAGES = List.of("swarmgate-testbed/busybox:1", "swarmgate-testbed/jre17:3");
    private static final String HOW = " (as root: `bash .ci/testbed.sh`, then `mvn -B verify`)";

    private LabPrerequisites() {
    }

    static Path swarmgateJar() {
        return Path.of(System.getProperty("swarmgate.jar", "../config-api/target/swarmgate.jar"));
    }

    static void check() {
        String problem = problem();
        if (problem == null) {
            return;
        }
        if (System.getenv("CI") != null) {
            fail("CI is set and the lab tests need " + problem + HOW);
        }
        Assumptions.abort("Skipped, the lab tests need " + problem + HOW);
    }

    private static String problem() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "root (they create network namespaces and start engines)";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/dockerd"))) {
            return "/usr/sbin/dockerd (Debian's docker.io)";
        }
        if (!Files.isExecutable(Path.of("/usr/bin/docker-registry"))) {
            return "/usr/bin/docker-registry (Debian's docker-registry)";
        }
        if (!Files.isRegularFile(swarmgateJar())) {
            return swarmgateJar() + " (built by `mvn package`)";
        }
        try (Engine host = Engine.connect(HOST_ENGINE)) {
            if (!host.answers()) {
                return "a Docker engine at " + HOST_ENGINE;
            }
            for (String image : IMAGES) {
                if (Images.id(host, image).isEmpty()) {
                    return "the image " + image + " on " + HOST_ENGINE;
                }
            }
        }
        return null;
    }
}
