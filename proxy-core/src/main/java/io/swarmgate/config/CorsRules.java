package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import com.google.re2j.Pattern;
import io.swarmgate.proxy.policy.Cors;
import io.swarmgate.proxy.policy.HeaderNames;
import java.util.List;
import java.util.function.UnaryOperator;

/** A destination's {@code corsAllowOrigins}, {@code corsAllowMethods}, {@code corsAllowHeaders}, {@code corsMaxAge}. */
final class CorsRules {
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?");

    private CorsRules() {
    }

    /**
     * The destination's CORS policy, or {@code null} without one; a 400 naming the parameter (as {@code name} gives
     * it) when a value is malformed, or given without {@code corsAllowOrigins} or on a destination without requests.
     */
    static Cors parse(DestinationSpec d, boolean http, UnaryOperator<String> name) {
        List<String> origins = d.corsAllowOrigins();
        if (origins.isEmpty()) {
            onlyWithOrigins(name.apply("corsAllowMethods"), String.join(",", d.corsAllowMethods()));
            onlyWithOrigins(name.apply("corsAllowHeaders"), String.join(",", d.corsAllowHeaders()));
            onlyWithOrigins(name.apply("corsMaxAge"), d.corsMaxAge());
            return null;
        }
        List<String> allowed = origins.stream().map(String::strip).toList();
        if (!http) {
            throw invalid(name.apply("corsAllowOrigins"), String.join(",", allowed), "no value with reqMode="
                    + d.reqMode() + ", which has no requests to answer");
        }
        boolean any = allowed.equals(List.of(Cors.ANY_ORIGIN));
        if (!any && !allowed.stream().allMatch(ORIGIN::matches)) {
            throw invalid(name.apply("corsAllowOrigins"), String.join(",", allowed),
                    "origins such as https://app.example.com,https://admin.example.com, or * alone");
        }
        names(name.apply("corsAllowMethods"), d.corsAllowMethods(), "method names such as PUT,DELETE");
        names(name.apply("corsAllowHeaders"), d.corsAllowHeaders(), "header names such as X-Api-Key,Content-Type");
        int maxAge = d.corsMaxAge().isEmpty() ? -1
                : ParameterValues.nonNegative(name.apply("corsMaxAge"), d.corsMaxAge());
        return new Cors(allowed, d.corsAllowMethods(), d.corsAllowHeaders(), maxAge);
    }

    private static void onlyWithOrigins(String parameter, String value) {
        if (!value.isEmpty()) {
            throw invalid(parameter, value, "no value without corsAllowOrigins");
        }
    }

    private static void names(String parameter, List<String> names, String expected) {
        for (String item : names) {
            if (!HeaderNames.isName(item.strip())) {
                throw invalid(parameter, item, expected);
            }
        }
    }
}
