package io.swarmgate.proxy.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Longest-prefix matching of request paths against raw path prefixes, with no allocation per lookup.
 *
 * <p>Each node knows its nearest ancestor that carries routes, so a lookup walks down once to the deepest node the
 * path reaches and then climbs only through nodes that can answer.
 */
final class PrefixTrie {
    /** Within one prefix: routes with extra conditions first, then by aclName, service name and index. */
    static final Comparator<Route> SAME_PREFIX_ORDER = Comparator
            .comparing((Route r) -> !r.hasConditions())
            .thenComparing(Route::aclName)
            .thenComparing(Route::serviceName)
            .thenComparingInt(Route::index);

    private final Node root;

    private PrefixTrie(Node root) {
        this.root = root;
    }

    /** Finds the route with the longest prefix of {@code uri[0, pathEnd)} whose conditions hold. */
    Route find(CharSequence uri, int pathEnd, int localPort) {
        Node node = root;
        for (int i = 0; i < pathEnd; i++) {
            Node child = node.child(uri.charAt(i));
            if (child == null) {
                break;
            }
            node = child;
        }
        for (Node n = node.routes != null ? node : node.routedAncestor; n != null; n = n.routedAncestor) {
            for (Route route : n.routes) {
                if (route.matchesEntryPort(localPort)) {
                    return route;
                }
            }
        }
        return null;
    }

    static Builder builder() {
        return new Builder();
    }

    private static final class Node {
        private static final char[] NO_KEYS = new char[0];
        private static final Node[] NO_CHILDREN = new Node[0];

        char[] keys = NO_KEYS;
        Node[] children = NO_CHILDREN;
        Route[] routes;
        Node routedAncestor;

        Node child(char c) {
            char[] k = keys;
            int low = 0;
            int high = k.length - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                char m = k[mid];
                if (m < c) {
                    low = mid + 1;
                } else if (m > c) {
                    high = mid - 1;
                } else {
                    return children[mid];
                }
            }
            return null;
        }
    }

    /** Collects prefixes and routes, then freezes them into a trie. Not thread-safe; used once. */
    static final class Builder {
        private final TreeMap<Character, Builder> children = new TreeMap<>();
        private final List<Route> routes = new ArrayList<>();

        void add(String prefix, Route route) {
            Builder b = this;
            for (int i = 0; i < prefix.length(); i++) {
                b = b.children.computeIfAbsent(prefix.charAt(i), c -> new Builder());
            }
            if (!b.routes.contains(route)) {
                b.routes.add(route);
            }
        }

        PrefixTrie build() {
            return new PrefixTrie(freeze(this, null));
        }

        private static Node freeze(Builder b, Node routedAncestor) {
            Node node = new Node();
            node.routedAncestor = routedAncestor;
            if (!b.routes.isEmpty()) {
                Route[] sorted = b.routes.toArray(new Route[0]);
                Arrays.sort(sorted, SAME_PREFIX_ORDER);
                node.routes = sorted;
            }
            Node ancestorForChildren = node.routes != null ? node : routedAncestor;
            node.keys = new char[b.children.size()];
            node.children = new Node[b.children.size()];
            int i = 0;
            for (var entry : b.children.entrySet()) {
                node.keys[i] = entry.getKey();
                node.children[i] = freeze(entry.getValue(), ancestorForChildren);
                i++;
            }
            return node;
        }
    }
}
