package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import io.swarmgate.proxy.policy.CanarySplit;
import io.swarmgate.proxy.policy.HeaderNames;
import io.swarmgate.proxy.upstream.Backend;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** A destination's {@code canaryService}, {@code canaryWeight}, {@code canaryHeader} and {@code canaryCookie}. */
final class CanaryRules {
    /** A Swarm service name (or a host), with a port or not. */
    private static final Pattern SERVICE = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]{0,62})(?::([0-9]{1,5}))?");
    private static final Pattern WEIGHT = Pattern.compile("(100|[0-9]{1,2})(\\.[0-9]{1,2})?");
    /** A cookie name: an RFC 6265 token. */
    private static final Pattern COOKIE = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");

    /**
     * @param service the variant's service (or host)
     * @param port    its port, or 0 for the route's
     * @param weight  its share in hundredths of a percent
     * @param header  the header forcing a variant, or {@code null}
     * @param cookie  the cookie forcing and keeping a variant, or {@code null}
     */
    record Settings(String service, int port, int weight, String header, String cookie) {
    }

    private CanaryRules() {
    }

    /**
     * The destination's canary, or {@code null} without one; a 400 naming the parameter (as {@code name} gives it)
     * when a value is malformed, or given without {@code canaryService} or on a destination without requests.
     */
    static Settings parse(DestinationSpec d, boolean http, UnaryOperator<String> name) {
        if (d.canaryService().isEmpty()) {
            onlyWithService(name.apply("canaryWeight"), d.canaryWeight());
            onlyWithService(name.apply("canaryHeader"), d.canaryHeader());
            onlyWithService(name.apply("canaryCookie"), d.canaryCookie());
            return null;
        }
        var service = SERVICE.matcher(d.canaryService());
        if (!http || !service.matches()) {
            throw invalid(name.apply("canaryService"), d.canaryService(), http
                    ? "a service name, with a port or not, such as go-demo-v2 or go-demo-v2:8080"
                    : "no value with reqMode=" + d.reqMode() + ", which has no requests to split");
        }
        int port = service.group(2) == null ? 0 : Integer.parseInt(service.group(2));
        if (service.group(2) != null && (port < 1 || port > 65535)) {
            throw invalid(name.apply("canaryService"), d.canaryService(), "a port of 1-65535");
        }
        var weight = WEIGHT.matcher(d.canaryWeight());
        if (!d.canaryWeight().isEmpty() && (!weight.matches()
                || (weight.group(1).equals("100") && weight.group(2) != null && !weight.group(2).matches("\\.0*")))) {
            throw invalid(name.apply("canaryWeight"), d.canaryWeight(), "a percentage of 0-100, such as 5 or 0.5");
        }
        String header = d.canaryHeader().isEmpty() ? null : d.canaryHeader();
        if (header != null && !HeaderNames.isName(header)) {
            throw invalid(name.apply("canaryHeader"), header, "a header name such as X-Canary");
        }
        String cookie = d.canaryCookie().isEmpty() ? null : d.canaryCookie();
        if (cookie != null && !COOKIE.matcher(cookie).matches()) {
            throw invalid(name.apply("canaryCookie"), cookie, "a cookie name such as canary");
        }
        return new Settings(service.group(1), port, hundredthsOfAPercent(d.canaryWeight()), header, cookie);
    }

    private static int hundredthsOfAPercent(String weight) {
        return weight.isEmpty() ? 0 : (int) Math.round(Double.parseDouble(weight) * 100);
    }

    /** The canary's policy, sent to a backend like the route's: its tasks or its name, on its port or the route's. */
    static CanarySplit policy(Settings canary, Backend route) {
        int port = canary.port() != 0 ? canary.port() : route.port();
        Backend backend = route.balancesTasks() ? Backend.tasks(canary.service(), port, route.balancing())
                : Backend.of(canary.service(), port);
        return new CanarySplit(backend.protocol(route.protocol()), canary.weight(), canary.header(), canary.cookie());
    }

    private static void onlyWithService(String parameter, String value) {
        if (!value.isEmpty()) {
            throw invalid(parameter, value, "no value without canaryService");
        }
    }
}
