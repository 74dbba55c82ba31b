package io.swarmgate.api.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.swarmgate.api.certs.ServedCertificates;
import io.swarmgate.api.json.PlainJson;
import io.swarmgate.api.metrics.TrafficHistory;
import io.swarmgate.api.replicas.ConfigVersion;
import io.swarmgate.api.replicas.ReplicaVersions;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.discovery.SwarmDiscovery;
import io.swarmgate.proxy.TaskState;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.proxy.upstream.Backend;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What the browser dashboard shows, as one JSON document assembled from what the server already knows: routes and
 * where they came from, services with their tasks and recent traffic, certificates, replicas and discovery. Read on
 * the API's thread without locking the data plane; only the traffic history is sampled, once a second, elsewhere.
 */
public final class Dashboard {

    private final ServiceRegistry registry;
    private final ServiceSources sources;
    private final Supplier<List<TaskState>> tasks;
    private final TrafficHistory traffic;
    private final ServedCertificates certificates;
    private final Optional<SwarmDiscovery> discovery;
    private final ConfigVersion version;

    /**
     * @param environment the services the environment defined ({@code DFP_SERVICE_*}), to tell them from the API's
     * @param discovery   Swarm discovery, when it runs
     * @param version     the table's version, shared with {@code config/version} so that each service's digest is
     *                    kept once
     */
    public Dashboard(ServiceRegistry registry, List<ServiceSpec> environment, Supplier<List<TaskState>> tasks,
                     TrafficHistory traffic, ServedCertificates certificates, Optional<SwarmDiscovery> discovery,
                     ConfigVersion version) {
        this.registry = registry;
        this.version = version;
        this.sources = new ServiceSources(environment,
                () -> discovery.map(d -> d.status().routed()).orElse(Set.of()));
        this.tasks = tasks;
        this.traffic = traffic;
        this.certificates = certificates;
        this.discovery = discovery;
    }

    /** Takes the traffic sample of this second. */
    public void sample() {
        traffic.sample(System.currentTimeMillis());
    }

    /**
     * The state with what the replicas answered, listing the services {@code query} asks for and their routes: its
     * cost is that of the page and of a search's pass over the names, not of every service's rows.
     */
    public String state(ReplicaVersions.View replicas, StateQuery query) {
        List<ServiceSpec> services = registry.services();
        String tableVersion = version.current().version();
        List<ServiceSpec> matching = query.search().isEmpty() ? services
                : services.stream().filter(query::matches).toList();
        List<ServiceSpec> shown = ServiceOrder.page(matching, query, traffic);
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("time", iso(Instant.now()));
        state.put("version", tableVersion);
        state.put("totals", Map.of("services", services.size(), "routes", registry.destinationCount()));
        state.put("page", Map.of("search", query.search(), "from", query.from(), "limit", query.limit(),
                "sort", query.sort().parameter(), "matching", matching.size()));
        state.put("routes", RouteRows.of(shown, sources));
        state.put("services", services(shown));
        state.put("samples", Map.of("last", traffic.lastSample(), "stepSeconds", 1,
                "points", TrafficHistory.POINTS));
        state.put("certificates", certificates());
        state.put("replicas", replicas(replicas, tableVersion));
        state.put("discovery", discovery());
        try {
            return PlainJson.MAPPER.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Map<String, Object>> services(List<ServiceSpec> shown) {
        Map<String, List<TaskState>> tasksByHost = null; // listed once, if a service shown balances tasks
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ServiceSpec service : shown) {
            String name = service.serviceName();
            List<Backend> balanced = registry.routesOf(name).stream().map(Route::backend)
                    .filter(Backend::balancesTasks).toList();
            if (!balanced.isEmpty() && tasksByHost == null) {
                tasksByHost = tasks.get().stream().collect(Collectors.groupingBy(TaskState::service));
            }
            Map<String, List<TaskState>> known = tasksByHost == null ? Map.of() : tasksByHost;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", name);
            row.put("source", sources.of(service));
            row.put("taskBalanced", !balanced.isEmpty());
            row.put("tasks", balanced.stream().map(b -> b.host().toLowerCase(Locale.ROOT)).distinct()
                    .flatMap(host -> known.getOrDefault(host, List.of()).stream())
                    .map(task -> Map.of("address", task.task(), "healthy", task.healthy(),
                            "inFlight", task.inFlight(), "pooled", task.pooled()))
                    .toList());
            TrafficHistory.Window window = traffic.window(name);
            if (window != null) {
                row.put("requests", window.requests());
                row.put("ejections", window.ejections());
                row.put("rps", window.rps());
                row.put("errorRatio", window.errorRatio());
                row.put("p50Millis", finite(window.p50Millis()));
                row.put("p99Millis", finite(window.p99Millis()));
            }
            rows.add(row);
        }
        return rows;
    }

    /** ISO-8601, as the browser's {@code Date} reads it; null for never. */
    private static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /** JSON has no NaN: a second without requests has no percentile, null. */
    private static List<Float> finite(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float value : values) {
            list.add(Float.isNaN(value) ? null : value);
        }
        return list;
    }

    private List<Map<String, Object>> certificates() {
        Set<String> putAtRunTime = certificates.putAtRunTime().keySet();
        Instant now = Instant.now();
        return certificates.list().stream().map((ServerCertificate c) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", c.name());
            row.put("domains", c.names());
            row.put("notAfter", iso(c.notAfter()));
            row.put("daysLeft", Duration.between(now, c.notAfter()).toDays());
            row.put("source", putAtRunTime.contains(c.name()) ? "api"
                    : c.name().startsWith("cert-") || c.name().startsWith("cert_") ? "secret" : "file");
            return row;
        }).toList();
    }

    private static Map<String, Object> replicas(ReplicaVersions.View view, String ownVersion) {
        Map<String, Object> replicas = new LinkedHashMap<>();
        replicas.put("name", view.name());
        replicas.put("problem", view.problem());
        replicas.put("agree", view.replicas().stream().allMatch(r -> r.version().equals(ownVersion)));
        replicas.put("list", view.replicas().stream().map(r -> Map.of("address", r.address(),
                "version", r.version(), "services", r.services(), "agrees", r.version().equals(ownVersion)))
                .toList());
        return replicas;
    }

    private Map<String, Object> discovery() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("on", discovery.isPresent());
        discovery.ifPresent(d -> {
            SwarmDiscovery.Status status = d.status();
            state.put("dockerHost", status.dockerHost());
            state.put("engineAnswers", status.engineAnswers());
            state.put("lastListing", iso(status.lastListing()));
            state.put("lastEvent", iso(status.lastEvent()));
            state.put("quarantined", d.quarantine().reasons().entrySet().stream()
                    .map(e -> Map.of("service", e.getKey(), "reason", e.getValue())).toList());
        });
        return state;
    }
}
