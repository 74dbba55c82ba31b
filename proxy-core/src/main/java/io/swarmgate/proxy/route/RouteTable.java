package io.swarmgate.proxy.route;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, indexed set of routes: the snapshot the data plane reads once per request.
 *
 * <p>Precedence, most specific first: the request's host matched exactly, then by wildcard (the longest suffix first),
 * then routes without a host; within those, the longest matching path prefix; at the same prefix, routes with extra
 * conditions (an entry port) before those without; then {@code aclName}, service name and destination index ascending.
 *
 * <p>Building costs time proportional to the total length of all prefixes; build it off the event loop and publish it
 * with {@code ProxyServer.routes(table)}.
 */
public final class RouteTable {
    public static final RouteTable EMPTY = of(List.of());

    private static final String ANY_HOST = "";

    private final List<Route> routes;
    private final HostIndex<PrefixTrie> exactHosts;
    private final HostIndex<PrefixTrie> wildcardHosts;
    private final boolean hasWildcards;
    private final PrefixTrie anyHost;

    private RouteTable(List<Route> routes, Map<String, PrefixTrie.Builder> byHost) {
        this.routes = routes;
        Map<String, PrefixTrie> exact = new HashMap<>();
        Map<String, PrefixTrie> wildcard = new HashMap<>();
        PrefixTrie.Builder any = byHost.getOrDefault(ANY_HOST, PrefixTrie.builder());
        byHost.forEach((host, builder) -> {
            if (host.startsWith("*.")) {
                wildcard.put(host.substring(1), builder.build());
            } else if (!host.equals(ANY_HOST)) {
                exact.put(host, builder.build());
            }
        });
        this.exactHosts = new HostIndex<>(exact);
        this.wildcardHosts = new HostIndex<>(wildcard);
        this.hasWildcards = !wildcard.isEmpty();
        this.anyHost = any.build();
    }

    public static RouteTable of(Collection<Route> routes) {
        Map<String, PrefixTrie.Builder> byHost = new HashMap<>();
        for (Route route : routes) {
            List<String> hosts = route.domains().isEmpty() ? List.of(ANY_HOST) : route.domains();
            for (String host : hosts) {
                PrefixTrie.Builder trie = byHost.computeIfAbsent(host, h -> PrefixTrie.builder());
                for (String prefix : route.pathPrefixes()) {
                    trie.add(prefix, route);
                }
            }
        }
        List<Route> ordered = new ArrayList<>(routes);
        ordered.sort(DISPLAY_ORDER);
        return new RouteTable(List.copyOf(ordered), byHost);
    }

    /**
     * The route for a request, or {@code null} when none matches.
     *
     * @param hostHeader the Host header as sent (any case, with or without a port), or {@code null}
     * @param uri        the request target in origin form ({@code /path?query}); the query is not matched
     * @param localPort  the proxy port the request arrived on
     */
    public Route find(CharSequence hostHeader, CharSequence uri, int localPort) {
        int pathEnd = pathEnd(uri);
        if (hostHeader != null) {
            int hostEnd = HostNames.hostEnd(hostHeader);
            PrefixTrie trie = exactHosts.get(hostHeader, 0, hostEnd);
            if (trie != null) {
                Route route = trie.find(uri, pathEnd, localPort);
                if (route != null) {
                    return route;
                }
            }
            if (hasWildcards) {
                for (int i = 1; i < hostEnd; i++) {
                    if (hostHeader.charAt(i) == '.') {
                        trie = wildcardHosts.get(hostHeader, i, hostEnd);
                        if (trie != null) {
                            Route route = trie.find(uri, pathEnd, localPort);
                            if (route != null) {
                                return route;
                            }
                        }
                    }
                }
            }
        }
        return anyHost.find(uri, pathEnd, localPort);
    }

    /** Every route, ordered for display: host-bound routes first, then by aclName, service name and index. */
    public List<Route> routes() {
        return routes;
    }

    public int size() {
        return routes.size();
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }

    /** A human-readable listing of the table, one line per host and path, in the order requests are matched. */
    public String describe() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HOST", "PATH PREFIX", "PORT", "SERVICE", "BACKEND"});
        List<Object[]> entries = new ArrayList<>();
        for (Route route : routes) {
            List<String> hosts = route.domains().isEmpty() ? List.of("*") : route.domains();
            for (String host : hosts) {
                for (String prefix : route.pathPrefixes()) {
                    entries.add(new Object[] {host, prefix, route});
                }
            }
        }
        entries.sort(Comparator
                .comparingInt((Object[] e) -> hostRank((String) e[0]))
                .thenComparing(e -> (String) e[0])
                .thenComparing(e -> -((String) e[1]).length())
                .thenComparing(e -> (Route) e[2], PrefixTrie.SAME_PREFIX_ORDER));
        for (Object[] e : entries) {
            Route route = (Route) e[2];
            rows.add(new String[] {(String) e[0], (String) e[1],
                    route.entryPort() == 0 ? "*" : Integer.toString(route.entryPort()),
                    route.serviceName() + (route.index() == 0 ? "" : "." + route.index()),
                    route.backend().toString()});
        }
        return formatColumns(rows);
    }

    private static final Comparator<Route> DISPLAY_ORDER = Comparator
            .comparing((Route r) -> r.domains().isEmpty())
            .thenComparing(Route::aclName)
            .thenComparing(Route::serviceName)
            .thenComparingInt(Route::index);

    private static int hostRank(String host) {
        return host.equals("*") ? 2 : host.startsWith("*.") ? 1 : 0;
    }

    private static String formatColumns(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                out.append(row[i]);
                if (i < row.length - 1) {
                    out.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static int pathEnd(CharSequence uri) {
        int length = uri.length();
        for (int i = 0; i < length; i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return length;
    }
}
