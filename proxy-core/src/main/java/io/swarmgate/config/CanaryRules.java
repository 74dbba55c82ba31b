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
        if (d.canaryService().isEmpty()) {
            onlyWithService(name.apply("canaryWeight"), d.canaryWeight());
            onlyWithService(name.apply("canaryHeader"), d.canaryHeader());
            onlyWithService(name.apply("canaryCookie"), d.canaryCookie());
            return null;
        }
        if (!http) {
            throw invalid(name.apply("canaryService"), d.canaryService(), "no value with reqMode=" + d.reqMode()
                    + ", which has no requests to split");
        }
        ServiceTarget service = ServiceTarget.parse(name.apply("canaryService"), d.canaryService());
        int weight = ServiceTarget.share(name.apply("canaryWeight"), d.canaryWeight(), 0);
        String header = d.canaryHeader().isEmpty() ? null : d.canaryHeader();
        if (header != null && !HeaderNames.isName(header)) {
            throw invalid(name.apply("canaryHeader"), header, "a header name such as X-Canary");
        }
        String cookie = d.canaryCookie().isEmpty() ? null : d.canaryCookie();
        if (cookie != null && !COOKIE.matcher(cookie).matches()) {
            throw invalid(name.apply("canaryCookie"), cookie, "a cookie name such as canary");
        }
        return new Settings(service, weight, header, cookie);
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
