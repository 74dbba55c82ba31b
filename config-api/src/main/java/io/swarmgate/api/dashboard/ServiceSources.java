package io.swarmgate.api.dashboard;

import io.swarmgate.config.ServiceSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Where a stored service came from: Swarm labels (discovery routes it), the environment ({@code DFP_SERVICE_*}, as long
 * as it is stored as defined there), or else the API (a reconfigure, or what a replica, the state file or the swarm
 * listener handed over, which all speak the API's parameters).
 */
final class ServiceSources {
    static final String LABELS = "labels";
    static final String ENVIRONMENT = "environment";
    static final String API = "api";

    private final Map<String, ServiceSpec> environment;
    private final Supplier<Set<String>> labelled;

    /** @param labelled the names discovery routes from labels now */
    ServiceSources(List<ServiceSpec> environment, Supplier<Set<String>> labelled) {
        this.environment = environment.stream().map(ServiceSpec::formatted)
                .collect(Collectors.toUnmodifiableMap(ServiceSpec::serviceName, s -> s, (first, last) -> last));
        this.labelled = labelled;
    }

    /** @param stored a service as the registry stores it */
    String of(ServiceSpec stored) {
        if (labelled.get().contains(stored.serviceName())) {
            return LABELS;
        }
        return stored.equals(environment.get(stored.serviceName())) ? ENVIRONMENT : API;
    }
}
