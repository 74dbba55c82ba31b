package io.swarmgate.discovery;

import io.swarmgate.proxy.upstream.TaskAddresses;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The addresses of every Swarm service's running tasks as Swarm's tasks API lists them, on the networks the proxy
 * shares with them: the data plane's {@link TaskAddresses}, so that balancing follows scaling and rolling updates as
 * soon as a task runs. {@link SwarmDiscovery} keeps it up to date and tells the data plane of each change.
 *
 * <p>Until discovery has found the proxy's networks, and whenever it cannot (the proxy runs outside a container and no
 * network is named, or discovery is off), it knows no service, and the data plane resolves {@code tasks.<service>} as
 * it would without it. A service is a map lookup: the map is replaced whole by one volatile write.
 */
public final class TaskDirectory implements TaskAddresses {
    private static final Comparator<InetAddress> BY_ADDRESS = Comparator.comparing(InetAddress::getHostAddress);
    /** At most one report of failures per service in this time: a dead task fails every request sent to it. */
    private static final long FAILURE_REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final List<String> networks;
    private final List<Consumer<String>> watchers = new CopyOnWriteArrayList<>();
    /** Lower-case service name to its running tasks' addresses, sorted; null while the proxy's networks are unknown. */
    private volatile Map<String, List<InetAddress>> byService;
    private final Map<String, Long> lastFailureReport = new ConcurrentHashMap<>();
    private volatile Consumer<String> onFailure = service -> { };

    /**
     * @param networks the names (or IDs) of the networks whose task addresses the proxy reaches, in order of
     *                 preference; empty: those of the proxy's own container, found through the Docker API
     */
    public TaskDirectory(List<String> networks) {
        this.networks = List.copyOf(networks);
    }

    /** The networks a setting such as {@code TASK_NETWORKS=proxy,other} names (commas or spaces between them). */
    public static List<String> networks(String setting) {
        return Arrays.stream(setting.split("[\\s,]+")).filter(name -> !name.isEmpty()).toList();
    }

    /** The networks named at construction; empty when the proxy's own are to be found. */
    public List<String> namedNetworks() {
        return networks;
    }

    @Override
    public Optional<List<InetAddress>> running(String service) {
        Map<String, List<InetAddress>> known = byService;
        return known == null ? Optional.empty() : Optional.ofNullable(known.get(service));
    }

    @Override
    public void watch(Consumer<String> changed) {
        watchers.add(Objects.requireNonNull(changed, "changed"));
    }

    /**
     * Passes on, at most once a second per service, that a request to a task of a service this directory answers for
     * failed.
     */
    @Override
    public void failed(String service) {
        Map<String, List<InetAddress>> known = byService;
        if (known == null || !known.containsKey(service)) {
            return; // DNS answers for it: nothing to look at again
        }
        long now = System.nanoTime();
        Long last = lastFailureReport.get(service);
        if (last == null || now - last >= FAILURE_REPORT_INTERVAL_NANOS) {
            lastFailureReport.put(service, now);
            onFailure.accept(service);
        }
    }

    /** Where {@link #failed} reports go: to discovery, which reads the service's tasks again. Must not block. */
    void onFailure(Consumer<String> reports) {
        onFailure = Objects.requireNonNull(reports, "reports");
    }

    /** Knows nothing any more: every service is resolved by DNS again. */
    void forgetAll() {
        replace(null);
    }

    /** Every service's tasks: the services not in {@code services} are no longer known. */
    void replaceAll(Map<String, List<InetAddress>> services) {
        Map<String, List<InetAddress>> sorted = new HashMap<>();
        services.forEach((name, addresses) -> sorted.put(key(name), sortedCopy(addresses)));
        replace(sorted);
    }

    /**
     * One service's tasks; {@code addresses} empty when none is known to run, null when it is unknown. Answers whether
     * that changed the directory.
     */
    boolean put(String service, List<InetAddress> addresses) {
        Map<String, List<InetAddress>> updated = byService == null ? new HashMap<>() : new HashMap<>(byService);
        if (addresses == null) {
            updated.remove(key(service));
        } else {
            updated.put(key(service), sortedCopy(addresses));
        }
        return replace(updated);
    }

    /**
     * Publishes {@code next}, a map of the caller's own that nothing changes after, and tells the watchers of every
     * service whose answer changed; false when none did.
     */
    private boolean replace(Map<String, List<InetAddress>> next) {
        Map<String, List<InetAddress>> previous = byService;
        Map<String, List<InetAddress>> before = previous == null ? Map.of() : previous;
        Map<String, List<InetAddress>> after = next == null ? Map.of() : next;
        if (Objects.equals(previous, next)) {
            return false;
        }
        byService = next == null ? null : Collections.unmodifiableMap(next);
        Set<String> names = new HashSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            if (!Objects.equals(before.get(name), after.get(name))) {
                watchers.forEach(watcher -> watcher.accept(name));
            }
        }
        return true;
    }

    private static String key(String service) {
        return service.toLowerCase(Locale.ROOT);
    }

    private static List<InetAddress> sortedCopy(List<InetAddress> addresses) {
        return addresses.stream().distinct().sorted(BY_ADDRESS).toList();
    }
}
