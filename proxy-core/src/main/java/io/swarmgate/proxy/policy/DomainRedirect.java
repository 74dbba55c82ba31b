package io.swarmgate.proxy.policy;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code redirectFromDomain}: requests for one of these host names get a 301 to the service's first domain, path and
 * query kept. Host names compare exactly (any case, port ignored), not by prefix as DFP's {@code hdr_beg}.
 */
public final class DomainRedirect implements RequestFilter {
    private final Set<String> from;
    private final String to;

    public DomainRedirect(Set<String> from, String to) {
        this.from = from.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.to = to;
    }

    @Override
    public LocalResponse filter(FilteredRequest request) {
        String host = request.host();
        if (host == null) {
            return null;
        }
        int colon = host.lastIndexOf(':');
        String name = (colon > 0 && host.indexOf(']') < colon ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT);
        if (!from.contains(name)) {
            return null;
        }
        return LocalResponse.redirect(301, "http://" + to + HttpsRedirect.pathAndQuery(request));
    }
}
