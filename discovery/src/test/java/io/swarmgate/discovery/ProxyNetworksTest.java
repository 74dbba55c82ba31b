package io.swarmgate.discovery;

import static io.swarmgate.discovery.testing.TestSwarm.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.discovery.docker.DockerEngine;
import io.swarmgate.discovery.testing.TestSwarm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's own networks, found from the container ID its {@code /etc/hostname} mount shows: here the mounts of a
 * real task of the test bed's swarm are written as a container would see them, and a host's mounts, which list every
 * container's {@code shm}, name none.
 */
class ProxyNetworksTest {
    private static final String HOST_MOUNT = "1296 29 0:332 / /var/lib/docker/containers/%s/mounts/shm rw,nosuid"
            + " shared:651 - tmpfs shm rw,size=65536k\n";
    private static final String CONTAINER_MOUNT = "100 82 254:0 /var/lib/docker/containers/%s/hostname /etc/hostname"
            + " rw,relatime - ext4 /dev/vda rw\n";

    @RegisterExtension
    static final TestSwarm swarm = new TestSwarm();

    @TempDir
    Path directory;

    private final DockerEngine engine = DockerEngine.connect(TestSwarm.dockerHost());

    @AfterEach
    void close() throws IOException {
        engine.close();
    }

    @Test
    void areTheNetworksOfTheContainerItsHostnameMountNames() throws IOException {
        String task = runningTask();
        ProxyNetworks networks = new ProxyNetworks(List.of(), mounts(CONTAINER_MOUNT.formatted(task)), "proxy-1");

        assertThat(networks.read(engine)).contains(List.of(swarm.networkId("proxy")));
    }

    @Test
    void areUnknownOnTheHostWhereEveryContainersMountsShow() throws IOException {
        ProxyNetworks networks = new ProxyNetworks(List.of(), mounts(HOST_MOUNT.formatted(runningTask())), "vm");

        assertThat(networks.read(engine)).isEmpty();
    }

    @Test
    void areUnknownForAContainerThisEngineDoesNotRun() throws IOException {
        ProxyNetworks networks = new ProxyNetworks(List.of(), mounts(CONTAINER_MOUNT.formatted("f".repeat(64))), "x");

        assertThat(networks.read(engine)).isEmpty();
    }

    @Test
    void areTheNamedOnesWhenTheSettingsNameSome() {
        ProxyNetworks networks = new ProxyNetworks(List.of("proxy", "other"), directory.resolve("none"), "x");

        assertThat(networks.read(engine)).isEqualTo(Optional.of(List.of("proxy", "other")));
    }

    private String runningTask() {
        String name = uniqueName("self");
        swarm.create(name, Map.of());
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> swarm.containerOf(name) != null);
        return swarm.containerOf(name);
    }

    private Path mounts(String lines) throws IOException {
        return Files.writeString(directory.resolve("mountinfo"), lines);
    }
}
