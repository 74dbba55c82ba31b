package io.swarmgate.proxy.policy;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code redirectFromDomain}: requests for one of these host names get a 301 to the service's first domain, path and
 * query kept. Host names compare exactly (any case, port ignored), not by prefix as DFP's {@code hdr_beg}.
 */
public final class DomainRedirect implements RoutePolicy {
    private final Set<String> from;
    private final String to;

    public DomainRedirect(Set<String> from, String to) {
        this.from = from.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.to = to;
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        String host = request.host();
        if (host == null) {
            return PolicyResult.PROCEED;
        }
        int colon = host.lastIndexOf(':');
        String name = (colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT);
        if (!from.contains(name)) {
            return PolicyResult.PROCEED;
        }
        return LocalResponse.redirect(301, "http://" + to + HttpsRedirect.pathAndQuery(request));
    }
}
