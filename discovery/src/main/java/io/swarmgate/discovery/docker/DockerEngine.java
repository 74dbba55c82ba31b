package io.swarmgate.discovery.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Config;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceModeConfig;
import com.github.dockerjava.api.model.ServiceUpdateState;
import com.github.dockerjava.api.model.SwarmInfo;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.netty.util.NetUtil;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Docker Engine API as discovery uses it: is this a swarm manager, which services and tasks exist, which networks a
 * container is on, and what changes; and Swarm configs, which the replicas use as locks.
 * Every call either answers or throws {@link DockerUnavailableException}.
 */
public final class DockerEngine implements Closeable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    /** The label Swarm puts on a task's container: its service's ID. */
    private static final String SERVICE_ID_LABEL = "com.docker.swarm.service.id";
    /** The label Swarm puts on a task's container: its task's ID. */
    private static final String TASK_ID_LABEL = "com.docker.swarm.task.id";
    /**
     * The signals, in a container's {@code kill} event, that end it: SIGTERM (Docker's and Swarm's stop signal) and
     * SIGKILL. Others (SIGHUP to reload, ...) leave it running.
     */
    private static final Set<String> ENDING_SIGNALS = Set.of("15", "9");

    private final String dockerHost;
    private final DockerClient requests;
    private final DockerClient events;
    private final AtomicLong sent = new AtomicLong();

    private DockerEngine(String dockerHost, DockerClient requests, DockerClient events) {
        this.dockerHost = dockerHost;
        this.requests = requests;
        this.events = events;
    }

    /**
     * A client for the engine at {@code dockerHost} ({@code unix:///var/run/docker.sock}, {@code tcp://host:2375});
     * TLS settings come from {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH} as for the docker CLI. Connects
     * on first use.
     */
    public static DockerEngine connect(String dockerHost) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .build();
        // Two clients: requests give up after a while, but the event stream may rightly stay silent for hours.
        return new DockerEngine(dockerHost, client(config, RESPONSE_TIMEOUT), client(config, null));
    }

    private static DockerClient client(DockerClientConfig config, Duration responseTimeout) {
        ApacheDockerHttpClient.Builder http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(CONNECT_TIMEOUT);
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    public String dockerHost() {
        return dockerHost;
    }

    /** How many requests this client has sent the engine (the event stream's openings included): to bound them. */
    public long requestsSent() {
        return sent.get();
    }

    /** Whether the engine is a manager of a swarm, the only kind of node that lists services. */
    public boolean isSwarmManager() {
        SwarmInfo swarm = call(() -> requests.infoCmd().exec()).getSwarm();
        return swarm != null && Boolean.TRUE.equals(swarm.getControlAvailable());
    }

    /** Every service of the swarm. */
    public List<SwarmService> services() {
        return call(() -> requests.listServicesCmd().exec()).stream().map(DockerEngine::swarmService).toList();
    }

    /** The service with this ID, or empty when it no longer exists. */
    public Optional<SwarmService> service(String id) {
        return services(List.of(id)).stream().findFirst();
    }

    /** The services with these IDs that still exist. */
    public List<SwarmService> services(Collection<String> ids) {
        // Listing by ID answers an empty list for a missing service, where inspecting it would be an error.
        return call(() -> requests.listServicesCmd().withIdFilter(List.copyOf(ids)).exec()).stream()
                .filter(service -> ids.contains(service.getId()))
                .map(DockerEngine::swarmService)
                .toList();
    }

    /**
     * The tasks Swarm wants running (desired state running, whatever their state now) of these services, by ID; of
     * every service when none is given.
     */
    public List<SwarmTask> tasks(Collection<String> serviceIds) {
        return call(() -> {
            var command = requests.listTasksCmd().withStateFilter(TaskState.RUNNING);
            if (!serviceIds.isEmpty()) {
                command.withServiceFilter(serviceIds.toArray(String[]::new));
            }
            return command.exec();
        }).stream().filter(task -> task.getServiceId() != null).map(DockerEngine::swarmTask).toList();
    }

    /**
     * The networks the container with this ID (or ID prefix) is attached to, network name to network ID, in name
     * order; empty when this engine runs no such container.
     */
    public Optional<Map<String, String>> containerNetworks(String containerId) {
        sent.incrementAndGet();
        try {
            Map<String, ContainerNetwork> networks = requests.inspectContainerCmd(containerId).exec()
                    .getNetworkSettings().getNetworks();
            Map<String, String> ids = new LinkedHashMap<>();
            if (networks != null) {
                networks.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(network -> ids.put(network.getKey(), network.getValue().getNetworkID()));
            }
            return Optional.of(ids);
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw new DockerUnavailableException(dockerHost, e);
        }
    }

    /**
     * Streams service, network and node events, and the end of this engine's task containers, to
     * {@code listener} until the stream breaks or the returned handle is closed. Events from before this call are not
     * replayed: list the services after it to know the current state.
     */
    public Closeable watchServices(ServiceEvents listener) {
        EventCallback callback = new EventCallback(listener);
        sent.incrementAndGet();
        // Containers' other events (exec, health, attach...) are dropped here: an event filter would apply to every
        // type, and networks' actions are all wanted.
        events.eventsCmd().withEventTypeFilter(EventType.SERVICE, EventType.NETWORK, EventType.NODE,
                EventType.CONTAINER).exec(callback);
        return callback;
    }

    /**
     * Creates the Swarm config {@code name} unless one exists: the managers' Raft store grants a name to exactly one
     * caller however many ask at once, which makes it a lock between the proxy's replicas.
     *
     * @return whether this call created it
     */
    public boolean createConfig(String name, Map<String, String> labels, byte[] data) {
        sent.incrementAndGet();
        try {
            requests.createConfigCmd().withName(name).withLabels(labels).withData(data).exec();
            return true;
        } catch (ConflictException e) {
            return false;
        } catch (RuntimeException e) {
            throw new DockerUnavailableException(dockerHost, e);
        }
    }

    /** When the Swarm config {@code name} was created, or empty when there is none. */
    public Optional<Instant> configCreated(String name) {
        return configNamed(name).map(config -> config.getCreatedAt().toInstant());
    }

    /** Removes the Swarm config {@code name}, if there is one. */
    public void removeConfig(String name) {
        configNamed(name).ifPresent(config -> {
            sent.incrementAndGet();
            try {
                requests.removeConfigCmd(config.getId()).exec();
            } catch (NotFoundException e) {
                // Removed meanwhile: the outcome wanted.
            } catch (RuntimeException e) {
                throw new DockerUnavailableException(dockerHost, e);
            }
        });
    }

    private Optional<Config> configNamed(String name) {
        // The name filter matches prefixes too: only the exact name counts.
        return call(() -> requests.listConfigsCmd().withFilters(Map.of("name", List.of(name))).exec()).stream()
                .filter(config -> config.getSpec() != null && name.equals(config.getSpec().getName()))
                .findFirst();
    }

    @Override
    public void close() throws IOException {
        try {
            events.close();
        } finally {
            requests.close();
        }
    }

    private <T> T call(DockerCall<T> call) {
        sent.incrementAndGet();
        try {
            return call.exec();
        } catch (RuntimeException e) {
            throw new DockerUnavailableException(dockerHost, e);
        }
    }

    private static void closeQuietly(Closeable stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // The stream is being abandoned; there is nothing left to do with it.
        }
    }

    private static SwarmService swarmService(Service service) {
        com.github.dockerjava.api.model.ServiceSpec spec = service.getSpec();
        Map<String, String> labels = spec.getLabels() == null ? Map.of() : spec.getLabels();
        ServiceModeConfig mode = spec.getMode();
        boolean global = mode != null && mode.getGlobal() != null;
        long replicas = mode == null || mode.getReplicated() == null ? 0 : mode.getReplicated().getReplicas();
        ServiceUpdateState update = service.getUpdateStatus() == null ? null : service.getUpdateStatus().getState();
        boolean updating = update == ServiceUpdateState.UPDATING || update == ServiceUpdateState.ROLLBACK_STARTED;
        return new SwarmService(service.getId(), spec.getName(), labels, global, replicas, updating);
    }

    /**
     * docker-java does not model a task's network attachments; its raw JSON ({@code NetworksAttachments}) has them:
     * each network's ID, spec (name, whether it is the ingress) and the task's addresses in CIDR form.
     */
    private static SwarmTask swarmTask(Task task) {
        boolean running = task.getStatus() != null && task.getStatus().getState() == TaskState.RUNNING;
        List<SwarmTask.NetworkAddress> addresses = new ArrayList<>();
        if (task.getRawValues().get("NetworksAttachments") instanceof List<?> attachments) {
            for (Object attachment : attachments) {
                if (attachment instanceof Map<?, ?> fields && fields.get("Network") instanceof Map<?, ?> network
                        && network.get("Spec") instanceof Map<?, ?> spec && !Boolean.TRUE.equals(spec.get("Ingress"))
                        && fields.get("Addresses") instanceof List<?> cidrs && !cidrs.isEmpty()) {
                    address(String.valueOf(cidrs.get(0))).ifPresent(address -> addresses.add(new SwarmTask.NetworkAddress(
                            String.valueOf(network.get("ID")), String.valueOf(spec.get("Name")), address)));
                }
            }
        }
        return new SwarmTask(task.getId(), task.getServiceId(), running, addresses);
    }

    /** {@code 10.0.1.5/24} as an address; only IP literals are taken, so nothing is ever looked up. */
    private static Optional<InetAddress> address(String cidr) {
        int slash = cidr.indexOf('/');
        return Optional.ofNullable(NetUtil.createInetAddressFromIpAddressString(
                slash < 0 ? cidr : cidr.substring(0, slash)));
    }

    @FunctionalInterface
    private interface DockerCall<T> {
        T exec();
    }

    /** Turns docker-java's callbacks into {@link ServiceEvents}, silent once closed. */
    private final class EventCallback extends ResultCallback.Adapter<Event> {
        private final ServiceEvents listener;
        private volatile boolean closed;

        EventCallback(ServiceEvents listener) {
            this.listener = listener;
        }

        @Override
        public void onStart(Closeable stream) {
            super.onStart(stream);
            if (closed) {
                closeQuietly(stream); // closed while connecting: docker-java would otherwise stream on
            } else {
                listener.started();
            }
        }

        @Override
        public void onNext(Event event) {
            if (closed || event.getActor() == null || event.getActor().getId() == null) {
                return;
            }
            String id = event.getActor().getId();
            if (event.getType() == EventType.NETWORK) {
                listener.networkChanged();
            } else if (event.getType() == EventType.NODE) {
                listener.nodeChanged();
            } else if (event.getType() == EventType.CONTAINER) {
                Map<String, String> labels = event.getActor().getAttributes() == null ? Map.of()
                        : event.getActor().getAttributes();
                String service = labels.get(SERVICE_ID_LABEL);
                String task = labels.get(TASK_ID_LABEL);
                boolean ending = "die".equals(event.getAction())
                        || "kill".equals(event.getAction()) && ENDING_SIGNALS.contains(labels.get("signal"));
                if (service != null && task != null && ending) {
                    listener.taskEnding(service, task);
                }
            } else if ("remove".equals(event.getAction())) {
                listener.removed(id);
            } else {
                listener.changed(id);
            }
        }

        /** Reports instead of docker-java's logging the stack trace: a broken stream is expected and handled. */
        @Override
        public void onError(Throwable throwable) {
            if (!closed) {
                listener.broken(new DockerUnavailableException(dockerHost, throwable));
            }
            closeQuietly(this);
        }

        @Override
        public void onComplete() {
            if (!closed) {
                listener.broken(new DockerUnavailableException(dockerHost,
                        new IOException("the event stream ended")));
            }
            super.onComplete();
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }
}
