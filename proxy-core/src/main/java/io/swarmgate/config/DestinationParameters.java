package io.swarmgate.config;

/**
 * The parameters of one destination: {@code name.N} for destination N, falling back to the un-indexed {@code name}
 * when {@code name.N} is absent or empty, exactly as Docker Flow Proxy reads them.
 */
final class DestinationParameters {
    /** The parameters whose presence makes destination N exist. */
    private static final String[] DEFINING = {"servicePath", "port", "serviceDomain", "httpsPort"};

    private final QueryParameters parameters;
    private final int index;

    private DestinationParameters(QueryParameters parameters, int index) {
        this.parameters = parameters;
        this.index = index;
    }

    static DestinationParameters unindexed(QueryParameters parameters) {
        return new DestinationParameters(parameters, 0);
    }

    /** Destination {@code index} if one of its defining parameters is present, else {@code null}. */
    static DestinationParameters indexed(QueryParameters parameters, int index) {
        for (String name : DEFINING) {
            if (!parameters.exact(name + "." + index).isEmpty()) {
                return new DestinationParameters(parameters, index);
            }
        }
        return null;
    }

    int index() {
        return index;
    }

    String get(String name) {
        if (index > 0) {
            String value = parameters.exact(indexedName(name));
            if (!value.isEmpty()) {
                return value;
            }
        }
        return parameters.exact(name);
    }

    /** The name of the parameter that supplied {@code get(name)}, to name it in an error message. */
    String sourceOf(String name) {
        return index > 0 && !parameters.exact(indexedName(name)).isEmpty() ? indexedName(name) : name;
    }

    /** The name destination-specific messages use: {@code name.N}, or {@code name} for the un-indexed destination. */
    String indexedName(String name) {
        return index > 0 ? name + "." + index : name;
    }
}
