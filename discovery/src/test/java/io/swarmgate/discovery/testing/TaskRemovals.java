package io.swarmgate.discovery.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import io.swarmgate.discovery.TaskDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Times each task of one service on its way out of rotation: when Swarm decided to stop it, when the
 * {@link TaskDirectory} stopped answering its address, and when its container exited. All three are wall-clock times
 * of this machine, where the swarm's manager runs too.
 *
 * <p>Swarm's decision is the task's {@code UpdatedAt} in the first listing that shows its desired state shut down (or
 * removed): the orchestrator writes the task then, and nothing writes it again until its container exits, at least two
 * seconds later (Swarm's agent waits that long before it signals the container). The service's tasks are listed every
 * 25 ms for it, by a client of this recorder's own; the container's first signal and its exit are its first
 * {@code kill} and its {@code die} events.
 */
public final class TaskRemovals implements AutoCloseable {
    private static final Duration LISTING_INTERVAL = Duration.ofMillis(25);
    /** The desired states of a task Swarm decided to stop (a new task waits for its turn as ready). */
    private static final Set<TaskState> STOPPED = Set.of(TaskState.SHUTDOWN, TaskState.REMOVE);

    /**
     * One task's way out.
     *
     * @param taskId    the task
     * @param reference when it was asked to go: Swarm's decision, or the command that killed its container
     * @param removed   when the directory no longer had its address
     * @param signalled when its container was first signalled (stop signal or kill); null while it was not
     * @param exited    when its container exited; null while it has not
     */
    public record Removal(String taskId, Instant reference, Instant removed, Instant signalled, Instant exited) {
        /** From the reference to the removal. */
        public Duration latency() {
            return Duration.between(reference, removed);
        }

        /** Whether the directory dropped it while its container still ran. */
        public boolean beforeExit() {
            return exited == null || removed.isBefore(exited);
        }
    }

    private record Snapshot(Instant at, Set<String> addresses) {
    }

    private final DockerClient docker;
    private final TaskDirectory directory;
    private final String service;
    private final String network;
    private final List<Snapshot> snapshots = new CopyOnWriteArrayList<>();
    private final Map<String, Instant> decisions = new ConcurrentHashMap<>();
    private final Map<String, Instant> signals = new ConcurrentHashMap<>();
    private final Map<String, Instant> exits = new ConcurrentHashMap<>();
    /** Running tasks by ID, with their container's ID. */
    private final Map<String, String> running = new ConcurrentHashMap<>();
    /** Every task seen running, by ID, with its container's address on {@link #network}. */
    private final Map<String, String> addresses = new ConcurrentHashMap<>();
    /** When each task was first seen running: an address may be another task's before. */
    private final Map<String, Instant> seenRunning = new ConcurrentHashMap<>();
    private final ScheduledExecutorService lister = Executors.newSingleThreadScheduledExecutor();
    private final ResultCallback.Adapter<Event> events;

    /** Starts recording the tasks of {@code service} and their addresses on {@code network}. */
    public TaskRemovals(DockerClient docker, TaskDirectory directory, String service, String network) {
        this.docker = docker;
        this.directory = directory;
        this.service = service;
        this.network = network;
        directory.watch(changed -> {
            if (changed.equals(service.toLowerCase(Locale.ROOT))) {
                snapshot();
            }
        });
        snapshot();
        events = docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER)
                .withLabelFilter(Map.of("com.docker.swarm.service.name", service))
                .withEventFilter("kill", "die")
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Event event) {
                        String task = event.getActor().getAttributes().get("com.docker.swarm.task.id");
                        ("die".equals(event.getAction()) ? exits : signals)
                                .putIfAbsent(task, Instant.EPOCH.plusNanos(event.getTimeNano()));
                    }
                });
        lister.scheduleWithFixedDelay(this::list, 0, LISTING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void snapshot() {
        Set<String> now = directory.running(service).orElse(List.of()).stream().map(InetAddress::getHostAddress)
                .collect(Collectors.toUnmodifiableSet());
        snapshots.add(new Snapshot(Instant.now(), now));
    }

    private void list() {
        try {
            for (Task task : docker.listTasksCmd().withServiceFilter(service).exec()) {
                if (STOPPED.contains(task.getDesiredState())) {
                    decisions.computeIfAbsent(task.getId(), id -> Instant.parse(task.getUpdatedAt()));
                    running.remove(task.getId());
                } else if (task.getStatus().getState() == TaskState.RUNNING && !running.containsKey(task.getId())) {
                    String container = task.getStatus().getContainerStatus().getContainerID();
                    Instant seen = Instant.now();
                    addressOf(container).ifPresent(address -> {
                        addresses.put(task.getId(), address);
                        seenRunning.put(task.getId(), seen);
                        running.put(task.getId(), container);
                    });
                }
            }
        } catch (RuntimeException e) {
            // A listing that failed (the engine busy): the next one, 25 ms later, counts.
        }
    }

    private Optional<String> addressOf(String container) {
        Map<String, ContainerNetwork> networks = docker.inspectContainerCmd(container).exec().getNetworkSettings()
                .getNetworks();
        ContainerNetwork attached = networks == null ? null : networks.get(network);
        return attached == null || attached.getIpAddress() == null || attached.getIpAddress().isEmpty()
                ? Optional.empty() : Optional.of(attached.getIpAddress());
    }

    /** The service's running tasks whose address is known, by ID, with their container's ID. */
    public Map<String, String> running() {
        return Map.copyOf(running);
    }

    /** When Swarm decided to stop the task, once a listing has shown it. */
    public Optional<Instant> decision(String taskId) {
        return Optional.ofNullable(decisions.get(taskId));
    }

    /** Whether the task's container has exited. */
    public boolean exited(String taskId) {
        return exits.containsKey(taskId);
    }

    /**
     * The task's removal from the directory, timed from {@code reference}, once it happened: the first change since
     * the task was seen running that dropped its address after the directory had it. (A removal before the reference,
     * which would mean a late reference, shows as a negative latency.)
     */
    public Optional<Removal> removal(String taskId, Instant reference) {
        String address = addresses.get(taskId);
        if (address == null) {
            return Optional.empty();
        }
        boolean present = false;
        for (Snapshot snapshot : snapshots) {
            if (snapshot.at().isBefore(seenRunning.get(taskId))) {
                present = snapshot.addresses().contains(address); // the state when it was seen running
            } else if (snapshot.addresses().contains(address)) {
                present = true;
            } else if (present) {
                return Optional.of(new Removal(taskId, reference, snapshot.at(), signals.get(taskId),
                        exits.get(taskId)));
            }
        }
        return Optional.empty();
    }

    /** The task's removal after Swarm's decision to stop it, once both happened. */
    public Optional<Removal> removalAfterDecision(String taskId) {
        return decision(taskId).flatMap(decided -> removal(taskId, decided));
    }

    @Override
    public void close() throws IOException {
        lister.shutdownNow();
        events.close();
    }
}
