package io.swarmgate.proxy.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pcollections.TreePMap;

/**
 * An immutable, indexed set of routes: the snapshot the data plane reads once per request.
 *
 * <p>Precedence, most specific first: the request's host matched exactly, then by wildcard (the longest suffix first),
 * then routes without a host; within those, the longest matching path prefix; at the same prefix, routes with extra
 * conditions (an entry port) before those without; then {@code aclName}, service name and destination index ascending.
 *
 * <p>Every part is persistent: {@link #replace} copies only what the change touches, so a reconfigure costs time in
 * the changed routes' prefixes and the logarithm of the table's size, never in its size. Publish a table with
 * {@code ProxyServer.routes(table)}.
 */
public final class RouteTable {
    private static final Comparator<Route> DISPLAY_ORDER = Comparator
            .comparing((Route r) -> r.domains().isEmpty())
            .thenComparing(Route::aclName)
            .thenComparing(Route::serviceName)
            .thenComparingInt(Route::index);

    public static final RouteTable EMPTY = new RouteTable(TreePMap.empty(DISPLAY_ORDER), 0, null,
            new HostIndex<>(Map.of()), new HostIndex<>(Map.of()), PrefixTrie.EMPTY);

    private static final String ANY_HOST = "";

    private final HostIndex<PrefixTrie> exactHosts;
    private final HostIndex<PrefixTrie> wildcardHosts;
    private final PrefixTrie anyHost;
    /**
     * The routes in display order, those that sort equal in the order they were added; only listings read them. A
     * sorted map rather than a list: a change then copies the path to its place, not the list.
     */
    private final TreePMap<Route, Route[]> ordered;
    private final int size;
    /** The first route, in display order, marked default; {@code null} for none. */
    private final Route defaultRoute;
    /** {@link #ordered} as a list, made on the first listing. */
    private volatile List<Route> listed;

    private RouteTable(TreePMap<Route, Route[]> ordered, int size, Route defaultRoute,
                       HostIndex<PrefixTrie> exactHosts, HostIndex<PrefixTrie> wildcardHosts, PrefixTrie anyHost) {
        this.ordered = ordered;
        this.size = size;
        this.defaultRoute = defaultRoute;
        this.exactHosts = exactHosts;
        this.wildcardHosts = wildcardHosts;
        this.anyHost = anyHost;
    }

    public static RouteTable of(Collection<Route> routes) {
        return EMPTY.replace(List.of(), routes);
    }

    /**
     * A new table without the {@code removed} routes (the same instances as in this table) and with the
     * {@code added} ones. This table stays as it is; the new one shares every part the change does not touch, so
     * replacing one service's routes costs time proportional to its own prefixes, not to the table's size.
     */
    public RouteTable replace(Collection<Route> removed, Collection<Route> added) {
        Map<String, PrefixTrie.Changes> exact = new HashMap<>();
        Map<String, PrefixTrie.Changes> wildcard = new HashMap<>();
        PrefixTrie.Changes any = anyHost.changes();
        for (int pass = 0; pass < 2; pass++) {
            boolean adding = pass == 1;
            for (Route route : adding ? added : removed) {
                for (String host : hostKeys(route)) {
                    PrefixTrie.Changes changes;
                    if (host.equals(ANY_HOST)) {
                        changes = any;
                    } else if (isWildcard(host)) {
                        changes = changes(wildcard, wildcardHosts, wildcardSuffix(host));
                    } else {
                        changes = changes(exact, exactHosts, host);
                    }
                    for (String prefix : route.pathPrefixes()) {
                        if (adding) {
                            changes.add(prefix, route);
                        } else {
                            changes.remove(prefix, route);
                        }
                    }
                }
            }
        }
        TreePMap<Route, Route[]> order = ordered;
        int count = size;
        boolean defaultRemoved = false;
        for (Route route : removed) {
            Route[] same = order.get(route);
            Route[] rest = same == null ? null : without(same, route);
            if (rest != same) {
                order = rest.length == 0 ? order.minus(route) : order.plus(rest[0], rest);
                count--;
                defaultRemoved |= route == defaultRoute;
            }
        }
        for (Route route : added) {
            Route[] same = order.get(route);
            if (same == null || indexOf(same, route) < 0) {
                order = order.plus(same == null ? route : same[0], with(same, route));
                count++;
            }
        }
        return new RouteTable(order, count, defaultAfter(order, defaultRemoved, added),
                exactHosts.with(applied(exact)), wildcardHosts.with(applied(wildcard)), any.apply());
    }

    /** The default route after a change, without looking at every route unless the default itself went. */
    private Route defaultAfter(TreePMap<Route, Route[]> order, boolean defaultRemoved, Collection<Route> added) {
        if (defaultRemoved) {
            for (Route[] same : order.values()) {
                for (Route route : same) {
                    if (route.isDefault()) {
                        return route;
                    }
                }
            }
            return null;
        }
        Route result = defaultRoute;
        for (Route route : added) {
            if (route.isDefault() && (result == null || DISPLAY_ORDER.compare(route, result) < 0)) {
                result = route;
            }
        }
        return result;
    }

    private static int indexOf(Route[] routes, Route wanted) {
        for (int i = 0; i < routes.length; i++) {
            if (routes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static Route[] with(Route[] same, Route route) {
        if (same == null) {
            return new Route[] {route};
        }
        Route[] longer = Arrays.copyOf(same, same.length + 1);
        longer[same.length] = route;
        return longer;
    }

    /** {@code same} without {@code route}; {@code same} itself when it does not hold it. */
    private static Route[] without(Route[] same, Route route) {
        int at = indexOf(same, route);
        if (at < 0) {
            return same;
        }
        Route[] shorter = new Route[same.length - 1];
        System.arraycopy(same, 0, shorter, 0, at);
        System.arraycopy(same, at + 1, shorter, at, shorter.length - at);
        return shorter;
    }

    /** The changes to the trie of {@code key}, begun on first use: the index's trie, or an empty one. */
    private static PrefixTrie.Changes changes(Map<String, PrefixTrie.Changes> pending, HostIndex<PrefixTrie> index,
                                              String key) {
        PrefixTrie.Changes changes = pending.get(key);
        if (changes == null) {
            PrefixTrie existing = index.get(key, 0, key.length());
            changes = (existing != null ? existing : PrefixTrie.EMPTY).changes();
            pending.put(key, changes);
        }
        return changes;
    }

    /** The changed tries by key, {@code null} for one left empty (its key leaves the index). */
    private static Map<String, PrefixTrie> applied(Map<String, PrefixTrie.Changes> pending) {
        Map<String, PrefixTrie> tries = new HashMap<>(pending.size() * 2);
        pending.forEach((key, changes) -> {
            PrefixTrie trie = changes.apply();
            tries.put(key, trie.isEmpty() ? null : trie);
        });
        return tries;
    }

    private static List<String> hostKeys(Route route) {
        return route.domains().isEmpty() ? List.of(ANY_HOST) : route.domains();
    }

    private static boolean isWildcard(String host) {
        return host.startsWith("*.");
    }

    /** Wildcards are indexed by their suffix with its leading dot, the form a Host header is looked up by. */
    private static String wildcardSuffix(String host) {
        return host.substring(1);
    }

    /**
     * The route for a request, or {@code null} when none matches.
     *
     * @param hostHeader the Host header as sent (any case, with or without a port), or {@code null}
     * @param uri        the request target in origin form ({@code /path?query}); the query is not matched
     * @param localPort  the proxy port the request arrived on
     */
    public Route find(CharSequence hostHeader, CharSequence uri, int localPort) {
        return find(hostHeader, uri, localPort, RequestHeaders.NONE);
    }

    /**
     * The route for a request, or {@code null} when none matches: routes with {@linkplain RouteCondition conditions}
     * read the request's fields from {@code headers}. A request no route takes goes to the default route, if any.
     */
    public Route find(CharSequence hostHeader, CharSequence uri, int localPort, RequestHeaders headers) {
        Route route = findMatching(hostHeader, uri, localPort, headers);
        return route != null ? route : defaultRoute;
    }

    private Route findMatching(CharSequence hostHeader, CharSequence uri, int localPort, RequestHeaders headers) {
        int pathEnd = pathEnd(uri);
        if (hostHeader != null && !(exactHosts.isEmpty() && wildcardHosts.isEmpty())) {
            Route route = findByHost(hostHeader, uri, pathEnd, localPort, headers);
            if (route != null) {
                return route;
            }
        }
        return anyHost.find(uri, pathEnd, localPort, hostHeader, headers);
    }

    /**
     * The route of the host's exact entry, else of its longest wildcard suffix whose routes take the path. With
     * wildcard entries in the table, one pass from right to left works out the folded hash of every dot suffix and at
     * last of the whole host, so the exact probe and the wildcard probes share the hashing; it remembers the longest
     * suffix that has a wildcard entry. Only when that entry's routes do not take the path are the shorter suffixes
     * looked up again, longest first.
     */
    private Route findByHost(CharSequence hostHeader, CharSequence uri, int pathEnd, int localPort,
                             RequestHeaders headers) {
        int hostEnd = HostNames.hostEnd(hostHeader);
        if (wildcardHosts.isEmpty()) { // only the whole host to hash, in the shorter loop
            PrefixTrie exact = exactHosts.get(hostHeader, 0, hostEnd);
            return exact == null ? null : exact.find(uri, pathEnd, localPort, hostHeader, headers);
        }
        PrefixTrie longestWildcard = null;
        int longestAt = 0;
        int hash = 0;
        int power = 1;
        for (int i = hostEnd - 1; i >= 0; i--) {
            char c = hostHeader.charAt(i);
            hash += HostNames.lower(c) * power;
            power *= 31;
            if (c == '.' && i > 0) {
                PrefixTrie trie = wildcardHosts.get(hash, hostHeader, i, hostEnd);
                if (trie != null) {
                    longestWildcard = trie;
                    longestAt = i;
                }
            }
        }
        PrefixTrie exact = exactHosts.get(hash, hostHeader, 0, hostEnd);
        Route route = exact == null ? null : exact.find(uri, pathEnd, localPort, hostHeader, headers);
        if (route != null || longestWildcard == null) {
            return route;
        }
        route = longestWildcard.find(uri, pathEnd, localPort, hostHeader, headers);
        for (int i = longestAt + 1; route == null && i < hostEnd; i++) {
            if (hostHeader.charAt(i) == '.') {
                PrefixTrie trie = wildcardHosts.get(hostHeader, i, hostEnd);
                route = trie == null ? null : trie.find(uri, pathEnd, localPort, hostHeader, headers);
            }
        }
        return route;
    }

    /** Every route, ordered for display: host-bound routes first, then by aclName, service name and index. */
    public List<Route> routes() {
        List<Route> list = listed;
        if (list == null) {
            Route[] all = new Route[size];
            int n = 0;
            for (Route[] same : ordered.values()) {
                for (Route route : same) {
                    all[n++] = route;
                }
            }
            list = Collections.unmodifiableList(Arrays.asList(all));
            listed = list;
        }
        return list;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** A human-readable listing of the table, one line per host and path, in the order requests are matched. */
    public String describe() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"HOST", "PATH PREFIX", "PORT", "SERVICE", "BACKEND"});
        List<Object[]> entries = new ArrayList<>();
        for (Route route : routes()) {
            List<String> hosts = route.domains().isEmpty() ? List.of("*") : route.domains();
            for (String host : hosts) {
                for (String prefix : route.pathPrefixes()) {
                    entries.add(new Object[] {host, prefix, route});
                }
            }
        }
        entries.sort(Comparator
                .comparingInt((Object[] e) -> hostRank((String) e[0]))
                .thenComparing(e -> -((String) e[0]).length())
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
