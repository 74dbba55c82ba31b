package io.swarmgate.proxy.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Longest-prefix matching of request paths against raw path prefixes, with no allocation per lookup.
 *
 * <p>Immutable and persistent: {@link #with} and {@link #without} copy only the nodes on the changed prefix's path
 * and share the rest, so one service's change costs time proportional to its prefixes, not to the table.
 */
final class PrefixTrie {
    /** Within one prefix: routes with extra conditions first, then by aclName, service name and index. */
    static final Comparator<Route> SAME_PREFIX_ORDER = Comparator
            .comparing((Route r) -> !r.hasConditions())
            .thenComparing(Route::aclName)
            .thenComparing(Route::serviceName)
            .thenComparingInt(Route::index);

    static final PrefixTrie EMPTY = new PrefixTrie(Node.EMPTY);

    private final Node root;

    private PrefixTrie(Node root) {
        this.root = root;
    }

    boolean isEmpty() {
        return root.isEmpty();
    }

    /** Finds the route with the longest prefix of {@code uri[0, pathEnd)} whose conditions hold. */
    Route find(CharSequence uri, int pathEnd, int localPort) {
        Node node = root;
        Route best = node.firstMatching(localPort);
        for (int i = 0; i < pathEnd; i++) {
            node = node.child(uri.charAt(i));
            if (node == null) {
                break;
            }
            if (node.routes != null) {
                Route match = node.firstMatching(localPort);
                if (match != null) {
                    best = match;
                }
            }
        }
        return best;
    }

    PrefixTrie with(String prefix, Route route) {
        return new PrefixTrie(root.insert(prefix, 0, route));
    }

    PrefixTrie without(String prefix, Route route) {
        Node next = root.remove(prefix, 0, route);
        return next == root ? this : new PrefixTrie(next);
    }

    static Builder builder() {
        return new Builder();
    }

    private static final class Node {
        static final char[] NO_KEYS = new char[0];
        static final Node[] NO_CHILDREN = new Node[0];
        static final Node EMPTY = new Node(NO_KEYS, NO_CHILDREN, null);

        final char[] keys;
        final Node[] children;
        final Route[] routes;

        Node(char[] keys, Node[] children, Route[] routes) {
            this.keys = keys;
            this.children = children;
            this.routes = routes;
        }

        boolean isEmpty() {
            return routes == null && keys.length == 0;
        }

        Route firstMatching(int localPort) {
            Route[] candidates = routes;
            if (candidates != null) {
                for (Route route : candidates) {
                    if (route.matchesEntryPort(localPort)) {
                        return route;
                    }
                }
            }
            return null;
        }

        Node child(char c) {
            char[] k = keys;
            if (k.length == 1) {
                // Most nodes of a large table are the unique tails of long prefixes.
                return k[0] == c ? children[0] : null;
            }
            int i = Arrays.binarySearch(k, c);
            return i >= 0 ? children[i] : null;
        }

        Node insert(String prefix, int depth, Route route) {
            if (depth == prefix.length()) {
                return new Node(keys, children, withRoute(routes, route));
            }
            char c = prefix.charAt(depth);
            int i = Arrays.binarySearch(keys, c);
            Node child = i >= 0 ? children[i] : EMPTY;
            return withChild(c, i, child.insert(prefix, depth + 1, route));
        }

        Node remove(String prefix, int depth, Route route) {
            if (depth == prefix.length()) {
                Route[] remaining = withoutRoute(routes, route);
                return remaining == routes ? this : new Node(keys, children, remaining);
            }
            char c = prefix.charAt(depth);
            int i = Arrays.binarySearch(keys, c);
            if (i < 0) {
                return this;
            }
            Node next = children[i].remove(prefix, depth + 1, route);
            if (next == children[i]) {
                return this;
            }
            return next.isEmpty() ? withoutChild(i) : withChild(c, i, next);
        }

        private Node withChild(char c, int index, Node child) {
            if (index >= 0) {
                Node[] copy = children.clone();
                copy[index] = child;
                return new Node(keys, copy, routes);
            }
            int at = -index - 1;
            char[] newKeys = new char[keys.length + 1];
            Node[] newChildren = new Node[children.length + 1];
            System.arraycopy(keys, 0, newKeys, 0, at);
            System.arraycopy(children, 0, newChildren, 0, at);
            newKeys[at] = c;
            newChildren[at] = child;
            System.arraycopy(keys, at, newKeys, at + 1, keys.length - at);
            System.arraycopy(children, at, newChildren, at + 1, children.length - at);
            return new Node(newKeys, newChildren, routes);
        }

        private Node withoutChild(int index) {
            char[] newKeys = new char[keys.length - 1];
            Node[] newChildren = new Node[children.length - 1];
            System.arraycopy(keys, 0, newKeys, 0, index);
            System.arraycopy(children, 0, newChildren, 0, index);
            System.arraycopy(keys, index + 1, newKeys, index, keys.length - index - 1);
            System.arraycopy(children, index + 1, newChildren, index, children.length - index - 1);
            return new Node(newKeys, newChildren, routes);
        }

        private static Route[] withRoute(Route[] routes, Route route) {
            if (routes == null) {
                return new Route[] {route};
            }
            for (Route existing : routes) {
                if (existing == route) {
                    return routes;
                }
            }
            Route[] copy = Arrays.copyOf(routes, routes.length + 1);
            copy[routes.length] = route;
            Arrays.sort(copy, SAME_PREFIX_ORDER);
            return copy;
        }

        private static Route[] withoutRoute(Route[] routes, Route route) {
            if (routes == null) {
                return null;
            }
            List<Route> kept = new ArrayList<>(routes.length);
            for (Route existing : routes) {
                if (existing != route) {
                    kept.add(existing);
                }
            }
            if (kept.size() == routes.length) {
                return routes;
            }
            return kept.isEmpty() ? null : kept.toArray(new Route[0]);
        }
    }

    /** Collects prefixes and routes for a whole table, then freezes them into a trie in one pass. */
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
            return new PrefixTrie(freeze(this));
        }

        private static Node freeze(Builder b) {
            Route[] sorted = null;
            if (!b.routes.isEmpty()) {
                sorted = b.routes.toArray(new Route[0]);
                Arrays.sort(sorted, SAME_PREFIX_ORDER);
            }
            char[] keys = new char[b.children.size()];
            Node[] children = new Node[b.children.size()];
            int i = 0;
            for (var entry : b.children.entrySet()) {
                keys[i] = entry.getKey();
                children[i] = freeze(entry.getValue());
                i++;
            }
            return new Node(keys, children, sorted);
        }
    }
}
