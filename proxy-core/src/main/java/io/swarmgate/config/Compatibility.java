package io.swarmgate.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a reconfigure meets Docker Flow Proxy's parameters that Swarmgate has no behaviour for, and which services are
 * meant for this proxy ({@code FILTER_PROXY_INSTANCE_NAME}, {@code PROXY_INSTANCE_NAME}).
 *
 * @param warnOnUnsupported accept an unsupported parameter with a warning instead of refusing it with a 400
 *                          ({@code UNSUPPORTED_PARAMETERS=warn})
 * @param filterInstance    route only the services whose {@code proxyInstanceName} is {@code instanceName}
 * @param instanceName      this proxy's name among several reading the same swarm
 */
public record Compatibility(boolean warnOnUnsupported, boolean filterInstance, String instanceName) {
    /** DFP's image default of {@code PROXY_INSTANCE_NAME}. */
    public static final String DEFAULT_INSTANCE_NAME = "docker-flow";
    /** Unsupported parameters refused, every service routed. */
    public static final Compatibility STRICT = new Compatibility(false, false, DEFAULT_INSTANCE_NAME);

    /** DFP's parameters that Swarmgate has no behaviour for, with what to use instead (see {@link Field}). */
    private static final Map<String, String> SERVICE_UNSUPPORTED = unsupported(ServiceFields.ALL);
    private static final Map<String, String> DESTINATION_UNSUPPORTED = unsupported(DestinationFields.ALL);

    public Compatibility {
        Objects.requireNonNull(instanceName, "instanceName");
    }

    /**
     * Reads {@code UNSUPPORTED_PARAMETERS} ({@code refuse}, the default, or {@code warn}),
     * {@code FILTER_PROXY_INSTANCE_NAME} (Go booleans) and {@code PROXY_INSTANCE_NAME}.
     *
     * @throws IllegalArgumentException naming a setting with a bad value
     */
    public static Compatibility fromEnvironment(Map<String, String> environment) {
        String unsupported = environment.getOrDefault("UNSUPPORTED_PARAMETERS", "refuse");
        if (!unsupported.equals("refuse") && !unsupported.equals("warn")) {
            throw new IllegalArgumentException("UNSUPPORTED_PARAMETERS: '" + unsupported
                    + "' (expected: refuse or warn)");
        }
        String filter = environment.getOrDefault("FILTER_PROXY_INSTANCE_NAME", "false");
        Boolean filtering = GoBooleans.parse(filter);
        if (filtering == null) {
            throw new IllegalArgumentException("FILTER_PROXY_INSTANCE_NAME: '" + filter
                    + "' (expected: true or false)");
        }
        return new Compatibility(unsupported.equals("warn"), filtering,
                environment.getOrDefault("PROXY_INSTANCE_NAME", DEFAULT_INSTANCE_NAME));
    }

    /**
     * The unsupported parameters that are set (not empty), each as a sentence naming it and what to use instead.
     *
     * @throws InvalidServiceException (400) for the first of them, unless they are accepted with a warning
     */
    List<String> unsupported(Map<String, List<String>> parameters) {
        List<String> found = new ArrayList<>();
        parameters.forEach((name, values) -> {
            String instead = instead(name);
            if (instead != null && values.stream().anyMatch(v -> !v.isEmpty())) {
                String message = name + ": not supported (" + instead + ")";
                if (!warnOnUnsupported) {
                    throw InvalidServiceException.badRequest(message
                            + "; UNSUPPORTED_PARAMETERS=warn accepts it without effect");
                }
                found.add(message + "; accepted without effect (UNSUPPORTED_PARAMETERS=warn)");
            }
        });
        return found;
    }

    private static Map<String, String> unsupported(List<Field<?>> fields) {
        Map<String, String> unsupported = new HashMap<>();
        for (Field<?> field : fields) {
            if (field.unsupported() != null) {
                unsupported.put(field.parameter(), field.unsupported());
            }
        }
        return Map.copyOf(unsupported);
    }

    /**
     * What to use instead of an unsupported parameter, or {@code null}: service-level names match in any case,
     * destination names exactly, also with an index.
     */
    private static @Nullable String instead(String name) {
        int dot = name.indexOf('.');
        boolean indexed = dot > 0 && name.substring(dot + 1).chars().allMatch(Character::isDigit);
        String destination = DESTINATION_UNSUPPORTED.get(indexed ? name.substring(0, dot) : name);
        if (destination != null) {
            return destination;
        }
        for (Map.Entry<String, String> service : SERVICE_UNSUPPORTED.entrySet()) {
            if (dot < 0 && service.getKey().equalsIgnoreCase(name)) {
                return service.getValue();
            }
        }
        return null;
    }

    /**
     * Why DFP's {@code FILTER_PROXY_INSTANCE_NAME} leaves this service to another proxy, or {@code null} when it is
     * for this one. As in DFP, a service naming no instance is not for a proxy that filters.
     */
    public String notForThisProxy(ServiceSpec service) {
        if (!filterInstance || service.proxyInstanceName().equals(instanceName)) {
            return null;
        }
        return "Not for this proxy: proxyInstanceName '" + service.proxyInstanceName()
                + "' is not PROXY_INSTANCE_NAME '" + instanceName + "' (FILTER_PROXY_INSTANCE_NAME=true)";
    }
}
