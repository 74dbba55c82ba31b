package io.swarmgate.discovery;

import io.swarmgate.config.InvalidServiceException;
import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.discovery.docker.SwarmService;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the registry in line with the Swarm services it is told about, through the reconfigure API's parsing: one
 * model whatever the source. Remembers what each service's labels asked for last, so an unchanged service costs
 * nothing and an invalid one is logged once, not at every resync. Not thread-safe: one thread calls it.
 *
 * <p>A service whose labels are invalid is skipped and keeps the routes it had, like a rejected reconfigure; the other
 * services are unaffected; it stays in the {@link Quarantine} until its labels are valid again or it goes. A service
 * that disappears, or no longer opts in, loses its routes.
 */
final class DiscoveredServices {
    private static final Logger log = LoggerFactory.getLogger(DiscoveredServices.class);

    /**
     * What a Swarm service's labels asked for, its Swarm name, and the registry name it holds routes under (null: none
     * yet).
     */
    private record Known(Map<String, List<String>> parameters, String name, String routedAs) {
    }

    private final ServiceLabels labels;
    private final ReconfigureParameters parser;
    private final ServiceRegistry registry;
    private final Quarantine quarantine;
    private final DiscoveryObserver observer;
    private final Map<String, Known> byId = new HashMap<>();
    /** The registry names routed from labels, replaced whole after each change: read by any thread. */
    private volatile Set<String> routed = Set.of();

    DiscoveredServices(ServiceLabels labels, ReconfigureParameters parser, ServiceRegistry registry,
                       Quarantine quarantine, DiscoveryObserver observer) {
        this.labels = labels;
        this.parser = parser;
        this.registry = registry;
        this.quarantine = quarantine;
        this.observer = observer;
    }

    /** Every service of the swarm: the ones not in the list are gone. */
    void resync(Collection<SwarmService> services) {
        Set<String> listed = new HashSet<>();
        for (SwarmService service : services) {
            listed.add(service.id());
            update(service);
        }
        for (String id : List.copyOf(byId.keySet())) {
            if (!listed.contains(id)) {
                gone(id);
            }
        }
    }

    void update(SwarmService service) {
        Optional<Map<String, List<String>>> parameters = labels.parameters(service);
        if (parameters.isEmpty()) {
            String unreadable = labels.unreadableOptIn(service);
            if (unreadable != null && unreadable.equals(quarantine.reason(service.name()))) {
                return; // said already
            }
            gone(service.id());
            if (unreadable != null) {
                // Known, so that the quarantine is lifted when the service goes or its label changes.
                log.warn("Swarm service {} ({}) not routed: {}", service.name(), service.id(), unreadable);
                byId.put(service.id(), new Known(Map.of(), service.name(), null));
                quarantine.hold(service.name(), unreadable);
            }
            return;
        }
        Known previous = byId.get(service.id());
        if (previous != null && previous.parameters().equals(parameters.get())) {
            return;
        }
        String previousName = previous == null ? null : previous.routedAs();
        ServiceSpec spec;
        try {
            spec = parser.parse(parameters.get());
            String notForThisProxy = parser.compatibility().notForThisProxy(spec);
            if (notForThisProxy != null) {
                notRouted(service, parameters.get(), previousName, notForThisProxy);
                return;
            }
            registry.apply(spec);
        } catch (InvalidServiceException e) {
            log.warn("Swarm service {} ({}) skipped, its labels are invalid: {}{}", service.name(), service.id(),
                    e.getMessage(), previousName == null ? "" : "; it keeps its previous routes");
            byId.put(service.id(), new Known(parameters.get(), service.name(), previousName));
            quarantine.hold(service.name(), e.getMessage());
            observer.changed(false);
            return;
        }
        if (previousName != null && !previousName.equals(spec.serviceName())) {
            registry.remove(previousName);
        }
        byId.put(service.id(), new Known(parameters.get(), service.name(), spec.serviceName()));
        routedChanged();
        quarantine.release(service.name());
        observer.changed(true);
        if (spec.requestsRemoval()) {
            log.info("Swarm service {} has no replicas: not routed", service.name());
        } else {
            log.info("Swarm service {} routed as {}", service.name(), spec.serviceName());
        }
    }

    /** A service meant for another proxy ({@code FILTER_PROXY_INSTANCE_NAME}): known, so not logged again. */
    private void notRouted(SwarmService service, Map<String, List<String>> parameters, String previousName,
                           String reason) {
        if (previousName != null) {
            registry.remove(previousName);
            observer.changed(true);
        }
        byId.put(service.id(), new Known(parameters, service.name(), null));
        routedChanged();
        quarantine.release(service.name());
        log.info("Swarm service {} not routed: {}", service.name(), reason);
    }

    /** The names under which labelled services hold routes. */
    Set<String> routed() {
        return routed;
    }

    private void routedChanged() {
        routed = byId.values().stream().map(Known::routedAs).filter(Objects::nonNull)
                .collect(Collectors.toUnmodifiableSet());
    }

    void gone(String id) {
        Known known = byId.remove(id);
        if (known == null) {
            return;
        }
        quarantine.release(known.name());
        if (known.routedAs() != null) {
            routedChanged();
            registry.remove(known.routedAs());
            observer.changed(true);
            log.info("Swarm service {} removed from the routes", known.routedAs());
        }
    }
}
