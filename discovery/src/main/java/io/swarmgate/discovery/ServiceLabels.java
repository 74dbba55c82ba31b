package io.swarmgate.discovery;

import io.swarmgate.config.GoBooleans;
import io.swarmgate.discovery.docker.SwarmService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a Swarm service's labels as Docker Flow Swarm Listener does: a service opts in with the notify label set to
 * {@code true} (any case); every other label under the prefix becomes the reconfigure parameter of the same name
 * without the prefix ({@code com.df.servicePath.1} is {@code servicePath.1}). The listener's additions follow:
 * {@code serviceName} is the Swarm name, without its {@code <stack>_} prefix when {@code <prefix>shortName} is true,
 * and a replicated service gets {@code replicas} (0 asks for removal), a global one none.
 *
 * <p>Unlike the listener, it adds no {@code distribute=true}: every Swarmgate replica discovers for itself.
 */
final class ServiceLabels {
    /** Set by {@code docker stack deploy} on every service of a stack. */
    static final String STACK_NAMESPACE = "com.docker.stack.namespace";

    private final String prefix;
    private final String notifyLabel;

    ServiceLabels(String prefix, String notifyLabel) {
        this.prefix = prefix;
        this.notifyLabel = notifyLabel;
    }

    /** The reconfigure parameters the service's labels ask for, or empty when the service does not opt in. */
    Optional<Map<String, List<String>>> parameters(SwarmService service) {
        Map<String, String> labels = service.labels();
        if (!"true".equalsIgnoreCase(labels.get(notifyLabel))) {
            return Optional.empty();
        }
        Map<String, List<String>> parameters = new TreeMap<>();
        labels.forEach((label, value) -> {
            if (label.startsWith(prefix) && label.length() > prefix.length() && !label.equals(notifyLabel)) {
                parameters.put(label.substring(prefix.length()), List.of(value));
            }
        });
        parameters.put("serviceName", List.of(serviceName(service)));
        if (!service.global()) {
            parameters.put("replicas", List.of(Long.toString(service.replicas())));
        }
        return Optional.of(parameters);
    }

    /**
     * Why the notify label neither opts the service in nor out, e.g. {@code com.df.notify=yes}; {@code null} when it is
     * {@code true}, {@code false} (or another of Go's false values) or absent.
     */
    String unreadableOptIn(SwarmService service) {
        String value = service.labels().get(notifyLabel);
        if (value == null || "true".equalsIgnoreCase(value) || Boolean.FALSE.equals(GoBooleans.parse(value))) {
            return null;
        }
        return notifyLabel + ": '" + value + "' (expected: true to route the service, or false)";
    }

    private String serviceName(SwarmService service) {
        String stack = service.labels().get(STACK_NAMESPACE);
        String shortNameLabel = service.labels().getOrDefault(prefix + "shortName", "");
        boolean shortName = Boolean.TRUE.equals(GoBooleans.parse(shortNameLabel));
        if (shortName && stack != null && service.name().startsWith(stack + "_")) {
            return service.name().substring(stack.length() + 1);
        }
        return service.name();
    }
}
