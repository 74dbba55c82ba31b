package io.swarmgate.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.discovery.DiscoveryObserver;
import io.swarmgate.proxy.ProxyObserver;

/**
 * Swarmgate's metrics, in Prometheus' text format under the {@code swarmgate_} prefix: what the data plane serves
 * (through {@link #proxyObserver()}) and what the configuration API and discovery change.
 */
public final class SwarmgateMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ExchangeMetrics exchanges = new ExchangeMetrics(registry);
    private final Counter changesApplied = changes("api", "applied");
    private final Counter changesRejected = changes("api", "rejected");
    private final Counter discoveredApplied = changes("discovery", "applied");
    private final Counter discoveredRejected = changes("discovery", "rejected");

    /** The observer to give the data plane. */
    public ProxyObserver proxyObserver() {
        return exchanges;
    }

    /** Publishes the size of the registry's routing table as {@code swarmgate_routes}. */
    public void watch(ServiceRegistry services) {
        Gauge.builder("swarmgate.routes", services, s -> s.routes().size())
                .description("Routes in the published routing table")
                .register(registry);
    }

    /** Counts a reconfigure or remove through the API, applied or rejected. */
    public void configChanged(boolean applied) {
        (applied ? changesApplied : changesRejected).increment();
    }

    /** Counts the changes discovery applies or rejects. */
    public DiscoveryObserver discoveryObserver() {
        return applied -> (applied ? discoveredApplied : discoveredRejected).increment();
    }

    /** Everything, in Prometheus' text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    private Counter changes(String source, String result) {
        return Counter.builder("swarmgate.config.changes")
                .description("Configuration changes received, by source and result")
                .tags("source", source, "result", result)
                .register(registry);
    }
}
