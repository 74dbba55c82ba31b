package io.swarmgate.discovery.testing;

import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.discovery.DiscoverySettings;
import io.swarmgate.discovery.Quarantine;
import io.swarmgate.discovery.SwarmDiscovery;
import io.swarmgate.discovery.TaskDirectory;
import io.swarmgate.proxy.route.Route;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A discovery writing to a registry of its own, counting its changes, stopped after each test. */
public final class DiscoveryUnderTest implements AfterEachCallback {
    private final ServiceRegistry registry = new ServiceRegistry(table -> { });
    private final AtomicInteger applied = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private SwarmDiscovery discovery;

    /** Starts discovery against {@code dockerHost}; fails when it does not start. */
    public void start(String dockerHost, Duration resyncInterval) {
        start(dockerHost, resyncInterval, new TaskDirectory(List.of()));
    }

    /** Starts discovery against {@code dockerHost}, keeping {@code tasks} up to date; fails when it does not start. */
    public void start(String dockerHost, Duration resyncInterval, TaskDirectory tasks) {
        start(dockerHost, resyncInterval, tasks, ReconfigureParameters.defaults());
    }

    /** Starts discovery against {@code dockerHost}, reading labels with {@code parser}. */
    public void start(String dockerHost, Duration resyncInterval, TaskDirectory tasks, ReconfigureParameters parser) {
        DiscoverySettings settings = DiscoverySettings.defaults(dockerHost).withResyncInterval(resyncInterval);
        discovery = SwarmDiscovery.startIfSwarmManager(settings, registry, parser,
                        ok -> (ok ? applied : rejected).incrementAndGet(), tasks)
                .orElseThrow(() -> new AssertionError("discovery did not start at " + dockerHost));
    }

    public SwarmDiscovery.Status status() {
        return discovery.status();
    }

    public Quarantine quarantine() {
        return discovery.quarantine();
    }

    /** Changes discovery applied so far. */
    public int applied() {
        return applied.get();
    }

    /** Changes discovery rejected so far. */
    public int rejected() {
        return rejected.get();
    }

    public ServiceRegistry registry() {
        return registry;
    }

    /** The service whose route takes a request for {@code path}, or null. */
    public String routedAt(String path) {
        Route route = registry.routes().find("localhost", path, 80);
        return route == null ? null : route.serviceName();
    }

    public Optional<ServiceSpec> stored(String name) {
        return registry.services().stream().filter(s -> s.serviceName().equals(name)).findFirst();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (discovery != null) {
            discovery.close();
        }
    }
}
