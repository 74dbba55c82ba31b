package io.swarmgate.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged tool, run as docs/bootstrap.md says: {@code java -jar cluster-bootstrap/target/swarmgate-bootstrap.jar}. */
class BootstrapJarIT {
    @Test
    void theJarRunsAndListsEverySubcommand() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("bootstrap.jar", "target/swarmgate-bootstrap.jar"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--help").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("Usage: swarmgate-bootstrap", "lab ", "cluster ", "network ", "registry ",
                "proxy ", "app ", "pipeline ");
    }
}
