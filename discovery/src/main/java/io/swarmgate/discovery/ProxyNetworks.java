package io.swarmgate.discovery;

import io.swarmgate.discovery.docker.DockerEngine;
import io.swarmgate.discovery.docker.DockerUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The networks whose task addresses the proxy can reach: those the settings name, or those of the proxy's own
 * container, which the Docker API tells once the container's ID is known. Says in the log which it uses, and again
 * when that changes. Not thread-safe: discovery's worker calls it.
 *
 * <p>The container's ID comes from {@code /proc/self/mountinfo}: Docker bind-mounts the container's
 * {@code /etc/hostname} from {@code <data-root>/containers/<id>/hostname}, whatever the cgroup version (with cgroup
 * v2's private namespace {@code /proc/self/cgroup} shows only {@code 0::/}) and whatever host name the service gives
 * its tasks. Only that mount counts: on the host, the containers' own mounts ({@code …/containers/<id>/mounts/shm})
 * are listed too. The host name, which is the short ID unless a service sets another, is the fallback.
 */
final class ProxyNetworks {
    private static final Logger log = LoggerFactory.getLogger(ProxyNetworks.class);
    private static final Pattern MOUNTED_FROM_CONTAINER = Pattern.compile("/containers/([0-9a-f]{64})/hostname /etc/hostname ");
    private static final Pattern SHORT_ID = Pattern.compile("[0-9a-f]{12}");

    private final List<String> named;
    private final Path mountInfo;
    private final String hostName;
    private String said;

    /**
     * @param named     networks the settings name; empty: the proxy's own container's
     * @param mountInfo where the proxy's mounts are listed ({@code /proc/self/mountinfo})
     * @param hostName  the proxy's host name
     */
    ProxyNetworks(List<String> named, Path mountInfo, String hostName) {
        this.named = named;
        this.mountInfo = mountInfo;
        this.hostName = hostName;
    }

    /**
     * The networks, by name or ID, in order of preference; empty when they cannot be known (the proxy runs outside a
     * container, or on another engine than the one discovery reads).
     *
     * @throws DockerUnavailableException when the Docker API fails: the caller keeps what it had and asks again later
     */
    Optional<List<String>> read(DockerEngine engine) {
        if (!named.isEmpty()) {
            say("Task addresses come from Swarm's tasks API, on the networks TASK_NETWORKS names: " + named);
            return Optional.of(named);
        }
        Optional<String> container = containerId();
        if (container.isEmpty()) {
            say("Task addresses come from DNS (tasks.<service>): the proxy runs outside a container; set TASK_NETWORKS "
                    + "to take them from Swarm's tasks API");
            return Optional.empty();
        }
        Optional<Map<String, String>> networks = engine.containerNetworks(container.get());
        if (networks.isEmpty()) {
            say("Task addresses come from DNS (tasks.<service>): the engine at " + engine.dockerHost()
                    + " runs no container " + container.get() + ", the proxy's own");
            return Optional.empty();
        }
        say("Task addresses come from Swarm's tasks API, on the proxy's networks " + networks.get().keySet());
        return Optional.of(new ArrayList<>(networks.get().values()));
    }

    private Optional<String> containerId() {
        try {
            Matcher mounted = MOUNTED_FROM_CONTAINER.matcher(Files.readString(mountInfo));
            if (mounted.find()) {
                return Optional.of(mounted.group(1));
            }
        } catch (IOException e) {
            log.debug("Cannot read {}: {}", mountInfo, e.getMessage());
        }
        return SHORT_ID.matcher(hostName).matches() ? Optional.of(hostName) : Optional.empty();
    }

    /** Logs {@code mode} unless it is what was said last. */
    private void say(String mode) {
        if (!mode.equals(said)) {
            log.info(mode);
            said = mode;
        }
    }
}
