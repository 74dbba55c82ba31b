package io.swarmgate.proxy.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The documented precedence of {@link RouteTable#find}, written as plainly as possible: no index, no trie, one pass
 * over every route per host group.
 */
final class ReferenceMatcher {
    private static final Comparator<Candidate> PRECEDENCE = Comparator
            .comparingInt((Candidate c) -> -c.prefixLength)
            .thenComparing(c -> c.route.entryPort() == 0)
            .thenComparing(c -> c.route.aclName())
            .thenComparing(c -> c.route.serviceName())
            .thenComparingInt(c -> c.route.index())
            .thenComparingInt(c -> c.position);

    private record Candidate(Route route, int prefixLength, int position) {
    }

    private ReferenceMatcher() {
    }

    static Route find(List<Route> routes, String hostHeader, String uri, int localPort) {
        String path = uri.split("[?#]", 2)[0];
        for (String domain : hostGroups(hostHeader)) {
            Route best = best(routes, domain, path, localPort);
            if (best != null) {
                return best;
            }
        }
        return null;
    }

    /** The domains to try in order: the exact host, each wildcard from the longest suffix, then "" for host-less. */
    private static List<String> hostGroups(String hostHeader) {
        List<String> groups = new ArrayList<>();
        if (hostHeader != null) {
            String host = hostHeader.toLowerCase(Locale.ROOT).replaceFirst(":[0-9]*$", "");
            if (host.endsWith(".")) {
                host = host.substring(0, host.length() - 1);
            }
            if (!host.isEmpty()) {
                groups.add(host);
            }
            for (int i = 1; i < host.length(); i++) {
                if (host.charAt(i) == '.') {
                    groups.add("*" + host.substring(i));
                }
            }
        }
        groups.add("");
        return groups;
    }

    private static Route best(List<Route> routes, String domain, String path, int localPort) {
        List<Candidate> candidates = new ArrayList<>();
        for (int position = 0; position < routes.size(); position++) {
            Route route = routes.get(position);
            boolean inGroup = domain.isEmpty() ? route.domains().isEmpty() : route.domains().contains(domain);
            if (!inGroup || (route.entryPort() != 0 && route.entryPort() != localPort)) {
                continue;
            }
            int longest = -1;
            for (String prefix : route.pathPrefixes()) {
                if (path.startsWith(prefix)) {
                    longest = Math.max(longest, prefix.length());
                }
            }
            if (longest >= 0) {
                candidates.add(new Candidate(route, longest, position));
            }
        }
        return candidates.stream().min(PRECEDENCE).map(Candidate::route).orElse(null);
    }
}
