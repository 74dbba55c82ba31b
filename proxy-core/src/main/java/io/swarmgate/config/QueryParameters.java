package io.swarmgate.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Looks up request parameters the two ways Docker Flow Proxy does: service-level names case-insensitively (as its form
 * decoder matches Go field names), destination names by exact case. Only a parameter's first value counts.
 */
final class QueryParameters {
    /** In sort order, for the case-insensitive matches. */
    private final TreeMap<String, String> firstByName = new TreeMap<>();
    /** The same, for the exact look-ups: a parse makes about a hundred, nearly all of names the request lacks. */
    private final HashMap<String, String> firstByExactName;

    QueryParameters(Map<String, List<String>> parameters) {
        parameters.forEach((name, values) -> firstByName.put(name, values.isEmpty() ? "" : values.get(0)));
        firstByExactName = new HashMap<>(firstByName);
    }

    /** The first value of exactly {@code name}, or empty. */
    String exact(String name) {
        return firstByExactName.getOrDefault(name, "");
    }

    /**
     * The first value of {@code name} matched case-insensitively, or empty. The exact spelling wins; among other
     * spellings the first in sort order does, so the answer never depends on map iteration order.
     */
    String anyCase(String name) {
        String exact = firstByExactName.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, String> entry : firstByName.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return "";
    }
}
