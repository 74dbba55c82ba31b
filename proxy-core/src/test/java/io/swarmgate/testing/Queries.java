package io.swarmgate.testing;

import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds decoded query parameters from {@code name=value} pairs joined by {@code &}, for readable test tables. */
public final class Queries {
    private Queries() {
    }

    public static Map<String, List<String>> query(String query) {
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

    /** The service a reconfigure with this query string describes, as the API parses it with DFP's defaults. */
    public static ServiceSpec service(String query) {
        return ReconfigureParameters.defaults().parse(query(query));
    }
}
