package io.swarmgate.discovery;

import io.swarmgate.discovery.docker.DockerEngine;
import io.swarmgate.discovery.docker.DockerUnavailableException;
import io.swarmgate.discovery.docker.SwarmService;
import io.swarmgate.discovery.docker.SwarmTask;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link TaskDirectory} in line with Swarm's tasks: every task is read at each full listing, a service's
 * tasks when an event says it changed or one of its containers here is ending. Tasks emit no event of their own, and
 * Swarm takes a task out of rotation (its desired state no longer running) two seconds before its agent signals the
 * container; so a service that changed, one whose container is ending, and one not settled after a network or node
 * event is watched: read every 100 ms until it is settled (every task Swarm wants
 * running runs, as many as its replicas, and no rolling update is under way) or for at most a minute after its event
 * or the last change of its addresses. A service one of whose tasks failed a request is read every second for a
 * minute: the task may have died on another node, which sends this engine no event. The services read at one moment
 * are read in one call, and their specs, at most once a second, in another: at most 11 calls a second however many
 * services are watched, none once they are settled. A task whose container here is sent SIGTERM or SIGKILL, or
 * exits, leaves rotation on that event: when it was stopped behind Swarm's back, before Swarm's manager lists it as
 * failed.
 * When the Docker API fails, the directory keeps what it had.
 *
 * <p>Runs on discovery's worker thread alone.
 */
final class TaskTracker {
    private static final Logger log = LoggerFactory.getLogger(TaskTracker.class);
    /** How often a watched service's tasks are read: a task leaves rotation within this of Swarm's decision. */
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(100);
    /** How often a suspected service's tasks, and the watched services' specs, are read. */
    private static final Duration SUSPECT_INTERVAL = Duration.ofSeconds(1);
    private static final Duration POLL_FOR = Duration.ofSeconds(60);
    /**
     * How long a task whose container is ending is kept out of rotation: Swarm's manager learns it failed a few
     * hundred milliseconds after its container died, and until then lists it as running.
     */
    private static final Duration ENDING_FOR = Duration.ofSeconds(60);

    private final DockerEngine engine;
    private final TaskDirectory directory;
    private final ProxyNetworks proxyNetworks;
    private final ScheduledExecutorService worker;
    private final Map<String, SwarmService> services = new HashMap<>();
    /** Services read every 100 ms, by ID, with when to stop at the latest ({@link System#nanoTime()}). */
    private final Map<String, Long> polled = new HashMap<>();
    /** Services read every second until the time given, settled or not: one of their tasks failed a request. */
    private final Map<String, Long> suspected = new HashMap<>();
    /** Tasks whose container here is ending, by ID, with when to forget them (the tasks API no longer lists them). */
    private final Map<String, Long> ending = new HashMap<>();
    private Optional<List<String>> networks = Optional.empty();
    private boolean networksRead;
    private boolean pollScheduled;
    /** When the suspected services' tasks and the watched services' specs are next read ({@link System#nanoTime()}). */
    private long nextSlowRead = System.nanoTime();

    TaskTracker(DockerEngine engine, TaskDirectory directory, ProxyNetworks proxyNetworks,
                ScheduledExecutorService worker) {
        this.engine = engine;
        this.directory = directory;
        this.proxyNetworks = proxyNetworks;
        this.worker = worker;
    }

    /**
     * Every service of the swarm, just listed: reads every task. With {@code watchUnsettled} (after a network event),
     * the services not settled are watched.
     */
    void listed(Collection<SwarmService> all, boolean watchUnsettled) {
        services.clear();
        all.forEach(service -> services.put(service.id(), service));
        if (!networksRead) {
            try {
                networks = proxyNetworks.read(engine);
                networksRead = true;
            } catch (DockerUnavailableException e) {
                log.debug("Cannot read the proxy's networks, keeping {} and asking at the next listing: {}", networks,
                        e.getMessage());
            }
        }
        Map<String, Boolean> settled = read(List.of());
        if (watchUnsettled && settled != null) {
            settled.forEach((id, done) -> {
                if (!done) {
                    watch(id);
                }
            });
        }
    }

    /** A service was created or updated: its tasks are read now and watched until they settle. */
    void changed(SwarmService service) {
        services.put(service.id(), service);
        read(List.of(service.id()));
        watch(service.id());
    }

    /**
     * The container of this task was sent SIGTERM or SIGKILL, or exited: the task leaves rotation now, whether Swarm
     * stops it or has yet to notice, and its service is watched until Swarm has replaced it.
     */
    void ending(String serviceId, String taskId) {
        ending.put(taskId, System.nanoTime() + ENDING_FOR.toNanos());
        if (services.containsKey(serviceId)) {
            read(List.of(serviceId));
            watch(serviceId);
        }
    }

    /**
     * A request to a task of the service with this (lower-case) name failed: the task may have died unseen, on another
     * node, and Swarm may replace it without an event. The service's tasks are read every second for a minute, settled
     * or not, since Swarm takes a while to notice a node is gone.
     */
    void failed(String serviceName) {
        for (SwarmService service : services.values()) {
            if (service.name().equalsIgnoreCase(serviceName)) {
                suspected.put(service.id(), deadline());
                schedulePoll();
            }
        }
    }

    /** A service is gone: the directory no longer knows it. */
    void gone(String serviceId) {
        SwarmService service = services.remove(serviceId);
        polled.remove(serviceId);
        suspected.remove(serviceId);
        if (service != null) {
            directory.put(service.name(), null);
        }
    }

    /** A network changed: the proxy's own may have; they are read again at the next listing. */
    void networksChanged() {
        networksRead = false;
    }

    /**
     * Reads the tasks of these services (every one when empty) into the directory; answers whether each is settled,
     * or null when the Docker API failed and the directory was left as it was.
     */
    private Map<String, Boolean> read(Collection<String> serviceIds) {
        if (networks.isEmpty()) {
            directory.forgetAll();
            return null;
        }
        List<SwarmTask> tasks;
        try {
            tasks = engine.tasks(serviceIds);
        } catch (DockerUnavailableException e) {
            log.debug("Cannot read Swarm's tasks, keeping their last addresses: {}", e.getMessage());
            return null;
        }
        long now = System.nanoTime();
        ending.values().removeIf(until -> now - until >= 0);
        Map<String, List<SwarmTask>> byService = tasks.stream().filter(task -> !ending.containsKey(task.id()))
                .collect(Collectors.groupingBy(SwarmTask::serviceId));
        Map<String, List<InetAddress>> addresses = new HashMap<>();
        Map<String, Boolean> settled = new HashMap<>();
        for (String id : serviceIds.isEmpty() ? services.keySet() : serviceIds) {
            SwarmService service = services.get(id);
            if (service != null) {
                List<SwarmTask> own = byService.getOrDefault(id, List.of());
                addresses(own).ifPresent(reachable -> addresses.put(service.name(), reachable));
                settled.put(id, !service.updating() && own.stream().allMatch(SwarmTask::running)
                        && (service.global() || own.size() == service.replicas()));
            }
        }
        if (serviceIds.isEmpty()) {
            directory.replaceAll(addresses);
        } else {
            for (String id : serviceIds) {
                SwarmService service = services.get(id);
                if (service != null && directory.put(service.name(), addresses.get(service.name()))) {
                    log.debug("Tasks of {} in rotation: {}", service.name(), addresses.get(service.name()));
                    if (polled.containsKey(id)) {
                        polled.put(id, deadline()); // still moving: keep watching
                    }
                }
            }
        }
        return settled;
    }

    /**
     * The addresses of the running tasks, each on the first of the proxy's networks it is attached to (one address
     * per task, as {@code tasks.<service>} answers); empty when tasks run but none on those networks: the proxy cannot
     * reach them through the directory, and DNS is left to answer.
     */
    private Optional<List<InetAddress>> addresses(List<SwarmTask> tasks) {
        List<InetAddress> reachable = new ArrayList<>();
        boolean running = false;
        for (SwarmTask task : tasks) {
            if (task.running()) {
                running = true;
                onProxyNetwork(task).ifPresent(reachable::add);
            }
        }
        return running && reachable.isEmpty() ? Optional.empty() : Optional.of(reachable);
    }

    private Optional<InetAddress> onProxyNetwork(SwarmTask task) {
        for (String network : networks.orElseThrow()) {
            for (SwarmTask.NetworkAddress address : task.addresses()) {
                if (network.equals(address.networkId()) || network.equals(address.networkName())) {
                    return Optional.of(address.address());
                }
            }
        }
        return Optional.empty();
    }

    private void watch(String serviceId) {
        polled.put(serviceId, deadline());
        schedulePoll();
    }

    private static long deadline() {
        return System.nanoTime() + POLL_FOR.toNanos();
    }

    private void schedulePoll() {
        if (pollScheduled || (polled.isEmpty() && suspected.isEmpty())) {
            return;
        }
        try {
            // Every 100 ms while anything is watched or suspected; a suspected service alone is read once a second.
            worker.schedule(SwarmDiscovery.guarded(this::poll), WATCH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            pollScheduled = true;
        } catch (RejectedExecutionException e) {
            // Discovery is closing.
        }
    }

    private void poll() {
        pollScheduled = false;
        long now = System.nanoTime();
        boolean slowRead = now - nextSlowRead >= 0;
        Set<String> ids = new HashSet<>(polled.keySet());
        if (slowRead) {
            ids.addAll(suspected.keySet());
            nextSlowRead = now + SUSPECT_INTERVAL.toNanos();
        }
        if (!ids.isEmpty()) { // reading no service would read them all
            List<String> watched = List.copyOf(ids);
            if (slowRead) {
                // Whether an update is under way, or the replicas changed, mostly comes with the service's events.
                try {
                    engine.services(watched).forEach(service -> services.put(service.id(), service));
                } catch (DockerUnavailableException e) {
                    log.debug("Cannot read the services whose tasks are watched: {}", e.getMessage());
                }
            }
            Map<String, Boolean> settled = read(watched);
            polled.entrySet().removeIf(entry -> (settled != null && settled.getOrDefault(entry.getKey(), true))
                    || now - entry.getValue() >= 0);
        }
        suspected.values().removeIf(until -> now - until >= 0);
        schedulePoll();
    }
}
