package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import io.swarmgate.proxy.policy.CanarySplit;
import io.swarmgate.proxy.policy.HeaderNames;
import io.swarmgate.proxy.upstream.Backend;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** A destination's {@code canaryService}, {@code canaryWeight}, {@code canaryHeader} and {@code canaryCookie}. */
final class CanaryRules {
    /** A cookie name: an RFC 6265 token. */
    private static final Pattern COOKIE = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");

    /**
     * @param service the variant's service
     * @param weight  its share in hundredths of a percent
     * @param header  the header forcing a variant, or {@code null}
     * @param cookie  the cookie forcing and keeping a variant, or {@code null}
     */
    record Settings(ServiceTarget service, int weight, String header, String cookie) {
    }

    private CanaryRules() {
    }

    /**
     * The destination's canary, or {@code null} without one; a 400 naming the parameter (as {@code name} gives it)
     * when a value is malformed, or given without {@code canaryService} or on a destination without requests.
     */
    static Settings parse(DestinationSpec d, boolean http, UnaryOperator<String> name) {
        String service = d.get(DestinationFields.CANARY_SERVICE);
        String weight = d.get(DestinationFields.CANARY_WEIGHT);
        String header = d.get(DestinationFields.CANARY_HEADER);
        String cookie = d.get(DestinationFields.CANARY_COOKIE);
        if (service.isEmpty()) {
            onlyWithService(name.apply("canaryWeight"), weight);
            onlyWithService(name.apply("canaryHeader"), header);
            onlyWithService(name.apply("canaryCookie"), cookie);
            return null;
        }
        if (!http) {
            throw invalid(name.apply("canaryService"), service, "no value with reqMode=" + d.reqMode()
                    + ", which has no requests to split");
        }
        ServiceTarget target = ServiceTarget.parse(name.apply("canaryService"), service);
        int share = ServiceTarget.share(name.apply("canaryWeight"), weight, 0);
        if (!header.isEmpty() && !HeaderNames.isName(header)) {
            throw invalid(name.apply("canaryHeader"), header, "a header name such as X-Canary");
        }
        if (!cookie.isEmpty() && !COOKIE.matcher(cookie).matches()) {
            throw invalid(name.apply("canaryCookie"), cookie, "a cookie name such as canary");
        }
        return new Settings(target, share, header.isEmpty() ? null : header, cookie.isEmpty() ? null : cookie);
    }

    /** The canary's policy, its backend reached as the route's is. */
    static CanarySplit policy(Settings canary, Backend route) {
        return new CanarySplit(canary.service().like(route), canary.weight(), canary.header(), canary.cookie());
    }

    private static void onlyWithService(String parameter, String value) {
        if (!value.isEmpty()) {
            throw invalid(parameter, value, "no value without canaryService");
        }
    }
}
