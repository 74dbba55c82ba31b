package io.swarmgate.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds decoded query parameters from {@code name=value} pairs joined by {@code &}, for readable test tables. */
final class Queries {
    private Queries() {
    }

    static Map<String, List<String>> query(String query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return parameters;
        }
        for (String pair : query.split("&")) {
            String[] nameValue = pair.split("=", 2);
            parameters.computeIfAbsent(nameValue[0], n -> new ArrayList<>())
                    .add(nameValue.length > 1 ? nameValue[1] : "");
        }
        return parameters;
    }
}
