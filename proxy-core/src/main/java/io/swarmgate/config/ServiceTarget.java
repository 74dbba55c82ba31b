package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import io.swarmgate.proxy.upstream.Backend;
import java.util.regex.Pattern;

/**
 * Another service a destination sends requests to (a canary, a mirror), given as {@code name} or {@code name:port}:
 * reached as the destination's own backend is, its tasks or its name, on its port or the destination's.
 *
 * @param service the service's name (or a host)
 * @param port    its port, or 0 for the route's
 */
record ServiceTarget(String service, int port) {
    private static final Pattern SERVICE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]{0,62})(?::([0-9]{1,5}))?");
    private static final Pattern PERCENT = Pattern.compile("(100|[0-9]{1,2})(\\.[0-9]{1,2})?");

    /** @throws InvalidServiceException a 400 naming {@code parameter} when {@code raw} is no service */
    static ServiceTarget parse(String parameter, String raw) {
        var matched = SERVICE.matcher(raw);
        int port = matched.matches() && matched.group(2) != null ? Integer.parseInt(matched.group(2)) : 0;
        if (!matched.matches() || (matched.group(2) != null && (port < 1 || port > 65535))) {
            throw invalid(parameter, raw, "a service name, with a port of 1-65535 or not, such as go-demo-v2 or "
                    + "go-demo-v2:8080");
        }
        return new ServiceTarget(matched.group(1), port);
    }

    /**
     * A share of requests in hundredths of a percent, from a percentage with up to two decimals; {@code otherwise}
     * when not given.
     */
    static int share(String parameter, String raw, int otherwise) {
        if (raw.isEmpty()) {
            return otherwise;
        }
        var matched = PERCENT.matcher(raw);
        if (!matched.matches() || (matched.group(1).equals("100") && matched.group(2) != null
                && !matched.group(2).matches("\\.0*"))) {
            throw invalid(parameter, raw, "a percentage of 0-100, such as 5 or 0.5");
        }
        return (int) Math.round(Double.parseDouble(raw) * 100);
    }

    /** Its backend, reached as {@code route} is. */
    Backend like(Backend route) {
        int on = port != 0 ? port : route.port();
        Backend backend = route.balancesTasks() ? Backend.tasks(service, on, route.balancing())
                : Backend.of(service, on);
        return backend.protocol(route.protocol()).proxyHeader(route.proxyHeader());
    }
}
