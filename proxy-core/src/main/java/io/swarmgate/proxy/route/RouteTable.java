package io.swarmgate.proxy.route;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;

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
    public static final RouteTable EMPTY = new RouteTable(List.of(), new HostIndex<>(Map.of()),
            new HostIndex<>(Map.of()), PrefixTrie.EMPTY);

    private static final String ANY_HOST = "";

    /** Every this many changes in a row, the list of the latest table is worked out in the background. */
    private static final int MAX_PENDING_CHANGES = 32;
    /** Guards the lazily worked-out lists of every table: only listings and reconfigures take it, never requests. */
    private static final Object LISTING = new Object();
    private static final AtomicBoolean LISTING_IN_BACKGROUND = new AtomicBoolean();

    private final HostIndex<PrefixTrie> exactHosts;
    private final HostIndex<PrefixTrie> wildcardHosts;
    private final PrefixTrie anyHost;
    private final int size;
    /** The first route, in display order, marked default; {@code null} for none. */
    private final Route defaultRoute;
    /**
     * The routes in display order, worked out when first asked for: only listings need them, and building the list
     * costs time in the table's size, which a reconfigure must not pay. Until then the table knows it as its base's
     * list with one change; about {@link #MAX_PENDING_CHANGES} such tables wait in a row, since every so many changes
     * the latest table's list is worked out in the background.
     */
    private List<Route> routes; // guarded by LISTING
    private volatile RouteTable base; // written under LISTING; null once the list is known
    private Collection<Route> removedFromBase; // guarded by LISTING
    private Collection<Route> addedToBase; // guarded by LISTING
    private final int pendingChanges;

    private RouteTable(List<Route> routes, HostIndex<PrefixTrie> exactHosts, HostIndex<PrefixTrie> wildcardHosts,
                       PrefixTrie anyHost) {
        this.routes = routes;
        this.size = routes.size();
        this.exactHosts = exactHosts;
        this.wildcardHosts = wildcardHosts;
        this.anyHost = anyHost;
        this.defaultRoute = defaultOf(routes);
        this.pendingChanges = 0;
    }

    /** A table whose list is {@code base}'s with one change, worked out later. */
    private RouteTable(RouteTable base, Collection<Route> removed, Collection<Route> added,
                       HostIndex<PrefixTrie> exactHosts, HostIndex<PrefixTrie> wildcardHosts, PrefixTrie anyHost) {
        this.exactHosts = exactHosts;
        this.wildcardHosts = wildcardHosts;
        this.anyHost = anyHost;
        this.size = base.size - removed.size() + added.size();
        this.base = base;
        this.removedFromBase = List.copyOf(removed);
        this.addedToBase = List.copyOf(added);
        this.pendingChanges = base.pendingChanges() + 1;
        this.defaultRoute = defaultAfter(base.defaultRoute, removed, added);
    }

    private static Route defaultOf(List<Route> routes) {
        for (Route route : routes) {
            if (route.isDefault()) {
                return route;
            }
        }
        return null;
    }

    /** The default route after a change, without looking at every route unless the default itself went. */
    private Route defaultAfter(Route previous, Collection<Route> removed, Collection<Route> added) {
        Route result = previous;
        if (previous != null && containsIdentical(removed, previous)) {
            result = defaultOf(routes());
        } else {
            for (Route route : added) {
                if (route.isDefault() && (result == null || DISPLAY_ORDER.compare(route, result) < 0)) {
                    result = route;
                }
            }
        }
        return result;
    }

    private static boolean containsIdentical(Collection<Route> routes, Route wanted) {
        for (Route route : routes) {
            if (route == wanted) {
                return true;
            }
        }
        return false;
    }

    /** Read without the lock, so that a change never waits for a list being worked out; a stale count is harmless. */
    private int pendingChanges() {
        return base == null ? 0 : pendingChanges;
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
        Map<String, PrefixTrie> exact = new HashMap<>();
        Map<String, PrefixTrie> wildcard = new HashMap<>();
        PrefixTrie any = anyHost;
        for (int pass = 0; pass < 2; pass++) {
            boolean adding = pass == 1;
            for (Route route : adding ? added : removed) {
                for (String host : hostKeys(route)) {
                    if (host.equals(ANY_HOST)) {
                        any = update(any, route, adding);
                    } else if (isWildcard(host)) {
                        String key = wildcardSuffix(host);
                        wildcard.put(key, update(current(wildcard, wildcardHosts, key), route, adding));
                    } else {
                        exact.put(host, update(current(exact, exactHosts, host), route, adding));
                    }
                }
            }
        }
        exact.replaceAll((host, trie) -> trie.isEmpty() ? null : trie);
        wildcard.replaceAll((host, trie) -> trie.isEmpty() ? null : trie);
        RouteTable next = new RouteTable(this, removed, added, exactHosts.with(exact), wildcardHosts.with(wildcard), any);
        if (next.pendingChanges % MAX_PENDING_CHANGES == 0) {
            listInBackground(next);
        }
        return next;
    }

    /**
     * Works out the table's list, which bounds the row of tables kept for their lists and the work a listing may meet,
     * in the background: 10,000 routes take half a millisecond that a reconfigure's answer should not wait for. When
     * the last such work is still running (changes come faster than it), the caller does it, so the row stays short.
     */
    private static void listInBackground(RouteTable table) {
        if (LISTING_IN_BACKGROUND.compareAndSet(false, true)) {
            ForkJoinPool.commonPool().execute(() -> {
                try {
                    table.routes();
                } finally {
                    LISTING_IN_BACKGROUND.set(false);
                }
            });
        } else {
            table.routes();
        }
    }

    private static PrefixTrie current(Map<String, PrefixTrie> updates, HostIndex<PrefixTrie> index, String key) {
        PrefixTrie pending = updates.get(key);
        if (pending != null) {
            return pending;
        }
        PrefixTrie existing = index.get(key, 0, key.length());
        return existing != null ? existing : PrefixTrie.EMPTY;
    }

    private static PrefixTrie update(PrefixTrie trie, Route route, boolean adding) {
        PrefixTrie result = trie;
        for (String prefix : route.pathPrefixes()) {
            result = adding ? result.with(prefix, route) : result.without(prefix, route);
        }
        return result;
    }

    /**
     * The list of a table whose list is {@code changes} (oldest first) away from {@code routes}: the changes are netted
     * first, so working out a row of them costs one pass over the list, not one per change. Added routes go after
     * every route that sorts equal, in the order they came, as if each change had been applied in turn.
     */
    private static List<Route> reorder(List<Route> routes, Deque<RouteTable> changes) {
        Set<Route> gone = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Route> stillAdded = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Route> addedInOrder = new ArrayList<>();
        for (RouteTable change : changes) {
            for (Route route : change.removedFromBase) {
                if (!stillAdded.remove(route)) {
                    gone.add(route);
                }
            }
            stillAdded.addAll(change.addedToBase);
            addedInOrder.addAll(change.addedToBase);
        }
        List<Route> added = new ArrayList<>(stillAdded.size());
        for (Route route : addedInOrder) {
            if (stillAdded.contains(route)) {
                added.add(route);
            }
        }
        added.sort(DISPLAY_ORDER); // stable: equal routes keep the order they came in
        Route[] next = new Route[routes.size() + added.size()];
        int n = 0;
        int a = 0;
        for (Route route : routes) {
            if (gone.contains(route)) {
                continue;
            }
            while (a < added.size() && DISPLAY_ORDER.compare(added.get(a), route) < 0) {
                next[n++] = added.get(a++);
            }
            next[n++] = route;
        }
        while (a < added.size()) {
            next[n++] = added.get(a++);
        }
        return Collections.unmodifiableList(Arrays.asList(n == next.length ? next : Arrays.copyOf(next, n)));
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
        synchronized (LISTING) {
            if (base != null) {
                Deque<RouteTable> changes = new ArrayDeque<>();
                RouteTable known = this;
                while (known.base != null) {
                    changes.push(known);
                    known = known.base;
                }
                routes = reorder(known.routes, changes);
                base = null; // the tables before this one can go
                removedFromBase = null;
                addedToBase = null;
            }
            return routes;
        }
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
