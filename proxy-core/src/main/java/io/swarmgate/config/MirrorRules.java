package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import io.swarmgate.proxy.policy.Mirror;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.proxy.upstream.BackendProtocol;
import java.util.function.UnaryOperator;

/** A destination's {@code mirrorService} and {@code mirrorPercent}. */
final class MirrorRules {
    private MirrorRules() {
    }

    /**
     * The destination's mirror, reached as {@code route} is but in HTTP/1.1, or {@code null} without one; a 400
     * naming the parameter (as {@code name} gives it) when a value is malformed, or given without
     * {@code mirrorService} or on a destination without requests.
     *
     * @param route the route's backend, or {@code null} to check the values only
     */
    static Mirror parse(DestinationSpec d, boolean http, UnaryOperator<String> name, Backend route) {
        String service = d.get(DestinationFields.MIRROR_SERVICE);
        String percent = d.get(DestinationFields.MIRROR_PERCENT);
        if (service.isEmpty()) {
            if (!percent.isEmpty()) {
                throw invalid(name.apply("mirrorPercent"), percent, "no value without mirrorService");
            }
            return null;
        }
        if (!http) {
            throw invalid(name.apply("mirrorService"), service, "no value with reqMode=" + d.reqMode()
                    + ", which has no requests to copy");
        }
        ServiceTarget target = ServiceTarget.parse(name.apply("mirrorService"), service);
        int share = ServiceTarget.share(name.apply("mirrorPercent"), percent, Mirror.ALL);
        return route == null ? null : new Mirror(target.like(route).protocol(BackendProtocol.HTTP1), share);
    }
}
