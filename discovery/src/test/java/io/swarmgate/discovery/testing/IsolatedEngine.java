package io.swarmgate.discovery.testing;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.SwarmSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Docker engine of the test's own, a single-node swarm manager in a network namespace with only loopback, that a
 * test may stop and start again: the shared test bed's engine must never be restarted under other tests. Its state
 * outlives a restart, as a real node's does, and is removed with everything else after the tests.
 */
public final class IsolatedEngine implements BeforeAllCallback, AfterAllCallback {
    private static final String NAMESPACE = "sg-test-engine";
    private static final Path STATE = Path.of("/var/lib/swarmgate-test/engine");

    private Process dockerd;
    private DockerClient client;

    /** The engine's API, for discovery. */
    public String dockerHost() {
        return "unix://" + STATE.resolve("docker.sock");
    }

    public DockerClient client() {
        return client;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/dockerd"))) {
            TestSwarm.unavailable("/usr/sbin/dockerd is missing");
        }
        remove();
        Files.createDirectories(STATE);
        start();
        // No registry and no images here: tasks fail, but services, their labels and events are all discovery reads.
        client.initializeSwarmCmd(new SwarmSpec())
                .withListenAddr("127.0.0.1:2377")
                .withAdvertiseAddr("127.0.0.1")
                .exec();
    }

    /** Starts the engine and returns once its API answers. */
    public void start() throws IOException {
        // In the state directory, so that it goes with the engine's state, a run killed before its end included.
        Path script = STATE.resolve("isolated-dockerd.sh");
        try (InputStream resource = IsolatedEngine.class.getResourceAsStream("/isolated-dockerd.sh")) {
            Files.copy(resource, script, StandardCopyOption.REPLACE_EXISTING);
        }
        dockerd = new ProcessBuilder("bash", script.toString(), NAMESPACE, STATE.toString())
                .redirectErrorStream(true)
                .redirectOutput(STATE.getParent().resolve("engine.log").toFile())
                .start();
        if (client == null) {
            client = TestSwarm.client(dockerHost());
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            client.pingCmd().exec();
            return true;
        });
    }

    /** Stops the engine as an operator would (SIGTERM) and waits until it has exited. */
    public void stop() throws InterruptedException {
        dockerd.destroy();
        if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
            dockerd.destroyForcibly().waitFor();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (dockerd != null) {
            stop();
        }
        remove();
    }

    private static void remove() throws IOException, InterruptedException {
        for (List<String> command : List.of(List.of("ip", "netns", "delete", NAMESPACE),
                List.of("rm", "-rf", STATE.toString()))) {
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        }
    }
}
