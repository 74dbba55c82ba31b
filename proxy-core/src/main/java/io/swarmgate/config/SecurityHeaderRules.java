package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import io.swarmgate.proxy.policy.SecurityHeaders;
import java.util.function.UnaryOperator;

/** A destination's {@code securityHeaders}, read and checked. */
final class SecurityHeaderRules {
    private SecurityHeaderRules() {
    }

    /**
     * The destination's preset, or {@code null} without one; a 400 naming the parameter (as {@code name} gives it)
     * for a name that is none, or on a destination without answers to add to.
     */
    static SecurityHeaders parse(DestinationSpec d, boolean http, UnaryOperator<String> name) {
        String raw = d.get(DestinationFields.SECURITY_HEADERS);
        if (raw.isEmpty()) {
            return null;
        }
        if (!http) {
            throw invalid(name.apply("securityHeaders"), raw, "no value with reqMode=" + d.reqMode()
                    + ", which has no answers to add to");
        }
        SecurityHeaders preset = SecurityHeaders.named(raw);
        if (preset == null) {
            throw invalid(name.apply("securityHeaders"), raw, "basic or strict");
        }
        return preset;
    }
}
