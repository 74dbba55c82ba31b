package io.swarmgate.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.discovery.DiscoveryObserver;
import io.swarmgate.discovery.SwarmDiscovery;
import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.TaskState;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Swarmgate's metrics, in Prometheus' text format under the {@code swarmgate_} prefix: what the data plane serves
 * (through {@link #proxyObserver()}) and what the configuration API and discovery change; and, for dashboards made
 * for Docker Flow Proxy, the same counts under HAProxy's exporter names ({@code haproxy_*}).
 */
public final class SwarmgateMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExchangeMetrics exchanges = new ExchangeMetrics(registry);
    private final TrafficHistory traffic = new TrafficHistory(exchanges);
    private final Counter changesApplied = changes("api", "applied");
    private final Counter changesRejected = changes("api", "rejected");
    private final Counter discoveredApplied = changes("discovery", "applied");
    private final Counter discoveredRejected = changes("discovery", "rejected");
    private final MultiGauge taskCounts = MultiGauge.builder("swarmgate.tasks")
            .description("Tasks of task-balanced services, by state (up or ejected)")
            .register(registry);
    private final MultiGauge requestsInFlight = MultiGauge.builder("swarmgate.task.requests.in.flight")
            .description("Requests sent to a task and not answered yet")
            .register(registry);
    private final MultiGauge pooledConnections = MultiGauge.builder("swarmgate.task.pooled.connections")
            .description("Idle keep-alive connections to a task, ready for the next requests")
            .register(registry);
    private final MultiGauge certificateExpiry = MultiGauge.builder("swarmgate.certificate.expiry")
            .description("When each served certificate expires, in seconds since the Unix epoch")
            .baseUnit("seconds")
            .register(registry);
    /** When the configuration last changed successfully (start counts as one), in milliseconds since the epoch. */
    private final AtomicLong lastSuccess = new AtomicLong(System.currentTimeMillis());
    private Supplier<List<TaskState>> tasks = List::of;
    private ServiceRegistry services = new ServiceRegistry(table -> { });
    private final PolicyMetrics policies = new PolicyMetrics(registry, () -> services.routes());
    private Supplier<List<ServerCertificate>> certificates = List::of;

    public SwarmgateMetrics() {
        Gauge.builder("swarmgate.config.last.success.timestamp", lastSuccess, millis -> millis.get() / 1000.0)
                .description("When the configuration last changed successfully, in seconds since the Unix epoch")
                .baseUnit("seconds")
                .register(registry);
    }

    /** The observer to give the data plane. */
    public ProxyObserver proxyObserver() {
        return exchanges;
    }

    /** Each service's recent traffic, for the dashboard; whoever shows it calls its {@code sample} once a second. */
    public TrafficHistory traffic() {
        return traffic;
    }

    /**
     * Publishes the size of the registry's routing table as {@code swarmgate_routes}, and follows its removals: see
     * {@link #forgetRemovedServices}.
     */
    public void watch(ServiceRegistry services) {
        this.services = services;
        services.onApply(service -> exchanges.serviceApplied(service.serviceName()));
        services.onRemove(exchanges::serviceRemoved);
        Gauge.builder("swarmgate.routes", services, s -> s.routes().size())
                .description("Routes in the published routing table")
                .register(registry);
    }

    /**
     * Publishes the tasks of task-balanced services at every scrape: {@code swarmgate_tasks{service,state}} (up or
     * ejected), {@code swarmgate_task_requests_in_flight{service,task}} and
     * {@code swarmgate_task_pooled_connections{service,task}}.
     */
    public void watchTasks(Supplier<List<TaskState>> tasks) {
        this.tasks = tasks;
    }

    /**
     * Publishes the expiry of the certificates served at every scrape:
     * {@code swarmgate_certificate_expiry_seconds{name}}, the Unix time at which each expires.
     */
    public void watchCertificates(Supplier<List<ServerCertificate>> certificates) {
        this.certificates = certificates;
    }

    /**
     * Drops the meters and traffic samples of the services removed from the watched registry, so that a service that
     * came and went (a branch's preview, a job) costs neither memory nor lines of {@code /metrics} afterwards. Call it
     * once a second, off the data plane's threads.
     */
    public void forgetRemovedServices() {
        exchanges.sweep(traffic::forget);
    }

    /** Counts an ACME order this replica made, {@code issued} or {@code failed} ({@code swarmgate_acme_orders}). */
    public void acmeOrder(String result) {
        Counter.builder("swarmgate.acme.orders")
                .description("ACME certificate orders this replica made, by result")
                .tag("result", result)
                .register(registry)
                .increment();
    }

    /** Counts a reconfigure or remove through the API, applied or rejected. */
    public void configChanged(boolean applied) {
        changed(applied, changesApplied, changesRejected);
    }

    /** Counts the changes discovery applies or rejects. */
    public DiscoveryObserver discoveryObserver() {
        return applied -> changed(applied, discoveredApplied, discoveredRejected);
    }

    /** Counts the requests discovery sends the Docker API: it should poll the engine little, events doing the rest. */
    public void watch(SwarmDiscovery discovery) {
        FunctionCounter.builder("swarmgate.discovery.docker.requests", discovery, d -> d.status().dockerRequests())
                .description("Requests discovery has sent the Docker API since it started")
                .register(registry);
    }

    private void changed(boolean applied, Counter appliedCounter, Counter rejectedCounter) {
        if (applied) {
            appliedCounter.increment();
            lastSuccess.set(System.currentTimeMillis());
        } else {
            rejectedCounter.increment();
        }
    }

    /**
     * The data plane's counts now, per routed service (those of the registry's published table, by name). Reads
     * meters and the published table without locking: it may run on an I/O thread.
     */
    public DataPlaneStats stats() {
        ServiceStats all = ServiceStats.none("");
        for (String service : exchanges.services()) {
            all = all.plus(exchanges.stats(service));
        }
        List<ServiceStats> routed = services.routes().routes().stream().map(Route::serviceName).distinct().sorted()
                .map(exchanges::stats).toList();
        return new DataPlaneStats(exchanges.openConnections(), exchanges.connections(), all, routed, tasks.get());
    }

    /**
     * Everything, in Prometheus' text exposition format: the {@code swarmgate_*} series, then the same counts as the
     * {@code haproxy_*} series of Docker Flow Proxy's exporter ({@link HaproxySeries}).
     */
    public String scrape() {
        publishTasks();
        policies.publish();
        certificateExpiry.register(certificates.get().stream()
                .map(c -> MultiGauge.Row.of(Tags.of("name", c.name()), c.notAfter().getEpochSecond()))
                .collect(Collectors.toList()), true);
        return registry.scrape() + HaproxySeries.render(stats(), services.services());
    }

    private void publishTasks() {
        List<TaskState> states = tasks.get();
        Map<List<String>, Integer> byState = new HashMap<>();
        List<MultiGauge.Row<?>> inFlight = new ArrayList<>();
        List<MultiGauge.Row<?>> pooled = new ArrayList<>();
        for (TaskState task : states) {
            byState.merge(List.of(task.service(), task.healthy() ? "up" : "ejected"), 1, Integer::sum);
            Tags tags = Tags.of("service", task.service(), "task", task.task());
            inFlight.add(MultiGauge.Row.of(tags, task.inFlight()));
            pooled.add(MultiGauge.Row.of(tags, task.pooled()));
        }
        taskCounts.register(byState.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("service", e.getKey().get(0), "state", e.getKey().get(1)),
                        e.getValue()))
                .collect(Collectors.toList()), true);
        requestsInFlight.register(inFlight, true);
        pooledConnections.register(pooled, true);
    }

    private Counter changes(String source, String result) {
        return Counter.builder("swarmgate.config.changes")
                .description("Configuration changes received, by source and result")
                .tags("source", source, "result", result)
                .register(registry);
    }
}
