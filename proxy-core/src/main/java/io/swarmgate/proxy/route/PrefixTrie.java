package io.swarmgate.proxy.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Longest-prefix matching of request paths against raw path prefixes, with no allocation per lookup.
 *
 * <p>A radix tree: each edge carries a run of characters, so a lookup touches one node per branching point rather
 * than one per character, and compares the runs in place. Immutable and persistent: {@link #with} and
 * {@link #without} copy only the nodes on the changed prefix's path and share the rest.
 */
final class PrefixTrie {
    /** Within one prefix: routes with extra conditions first, then by aclName, service name and index. */
    static final Comparator<Route> SAME_PREFIX_ORDER = Comparator
            .comparing((Route r) -> !r.hasConditions())
            .thenComparing(Route::aclName)
            .thenComparing(Route::serviceName)
            .thenComparingInt(Route::index);

    static final PrefixTrie EMPTY = new PrefixTrie(Node.ROOT);

    private final Node root;

    private PrefixTrie(Node root) {
        this.root = root;
    }

    boolean isEmpty() {
        return root.isEmpty();
    }

    /** Finds the route with the longest prefix of {@code uri[0, pathEnd)} whose conditions hold. */
    Route find(CharSequence uri, int pathEnd, int localPort, CharSequence hostHeader, RequestHeaders headers) {
        Node node = root;
        Route best = node.firstMatching(uri, pathEnd, localPort, hostHeader, headers);
        int i = 0;
        while (i < pathEnd) {
            Node child = node.child(uri.charAt(i));
            if (child == null || !child.labelMatches(uri, i, pathEnd)) {
                break;
            }
            i += child.label.length;
            node = child;
            if (node.routes != null) {
                Route match = node.unconditional != null ? node.unconditional
                        : node.firstMatching(uri, pathEnd, localPort, hostHeader, headers);
                if (match != null) {
                    best = match;
                }
            }
        }
        return best;
    }

    PrefixTrie with(String prefix, Route route) {
        return new PrefixTrie(root.insert(prefix.toCharArray(), 0, route));
    }

    PrefixTrie without(String prefix, Route route) {
        Node next = root.remove(prefix.toCharArray(), 0, route);
        return next == root ? this : new PrefixTrie(next == null ? Node.ROOT : next);
    }

    private static final class Node {
        static final char[] NO_CHARS = new char[0];
        static final Node[] NO_CHILDREN = new Node[0];
        static final int PACKED_CHARS = 4;
        static final int PACKED_LATIN1_CHARS = 8;
        /** A node indexes its children by key when their keys span at most this many times their number. */
        static final int DENSE_SPREAD = 4;
        static final Node ROOT = new Node(NO_CHARS, NO_CHARS, NO_CHILDREN, null);

        /** The characters on the edge into this node; children are keyed by the first of theirs. */
        final char[] label;
        final char[] keys;
        final Node[] children;
        final Route[] routes;
        /*
         * For lookups, which are bound by cache misses on a large table, fields that spare them a trip to another
         * object: a short label's characters packed here, and the route that always matches at this prefix, if any.
         */
        private final int labelLength;
        private final int labelBits;
        private final long packedLabel;
        /*
         * Likewise a few children's keys, and an only child itself, so that choosing a child reads no array; or, when
         * the keys are close together (digits, lower-case letters), the children indexed by key, so that choosing one
         * reads one array instead of the keys and then the children.
         */
        private final int childCount;
        private final long packedKeys;
        private final Node onlyChild;
        private final char firstKey;
        private final Node[] byKey;
        final Route unconditional;

        Node(char[] label, char[] keys, Node[] children, Route[] routes) {
            this.label = label;
            this.keys = keys;
            this.children = children;
            this.routes = routes;
            this.labelLength = label.length;
            this.labelBits = packingBits(label);
            this.packedLabel = labelBits == 0 ? 0 : pack(label, labelBits);
            this.childCount = keys.length;
            this.packedKeys = keys.length <= PACKED_CHARS ? pack(keys, 16) : 0;
            this.onlyChild = children.length == 1 ? children[0] : null;
            this.firstKey = keys.length == 0 ? 0 : keys[0];
            this.byKey = byKey(keys, children);
            this.unconditional = routes != null && !routes[0].hasConditions() ? routes[0] : null;
        }

        /**
         * How many bits per character a label packs into a long with: 16 for up to {@link #PACKED_CHARS}, 8 for up to
         * {@link #PACKED_LATIN1_CHARS} that are all below 256; 0 when it does not fit.
         */
        private static int packingBits(char[] label) {
            if (label.length <= PACKED_CHARS) {
                return 16;
            }
            if (label.length > PACKED_LATIN1_CHARS) {
                return 0;
            }
            for (char c : label) {
                if (c > 0xFF) {
                    return 0;
                }
            }
            return 8;
        }

        /** The characters, {@code bits} each, the first in the lowest bits. */
        private static long pack(char[] chars, int bits) {
            long packed = 0;
            for (int j = chars.length - 1; j >= 0; j--) {
                packed = packed << bits | chars[j];
            }
            return packed;
        }

        /**
         * The children at their key minus the first key, or {@code null} for a few children (their packed keys do
         * as well, and the table would cost every copy of the node an array) or when the keys are too far apart.
         */
        private static Node[] byKey(char[] keys, Node[] children) {
            if (keys.length <= PACKED_CHARS || keys[keys.length - 1] - keys[0] + 1 > DENSE_SPREAD * keys.length) {
                return null;
            }
            Node[] table = new Node[keys[keys.length - 1] - keys[0] + 1];
            for (int i = 0; i < keys.length; i++) {
                table[keys[i] - keys[0]] = children[i];
            }
            return table;
        }

        boolean isEmpty() {
            return routes == null && keys.length == 0;
        }

        Route firstMatching(CharSequence uri, int pathEnd, int localPort, CharSequence hostHeader,
                            RequestHeaders headers) {
            Route[] candidates = routes;
            if (candidates != null) {
                for (Route route : candidates) {
                    if (route.matches(uri, pathEnd, localPort, hostHeader, headers)) {
                        return route;
                    }
                }
            }
            return null;
        }

        Node child(char c) {
            int count = childCount;
            if (count == 1) {
                return (char) packedKeys == c ? onlyChild : null;
            }
            if (count <= PACKED_CHARS) {
                long rest = packedKeys;
                for (int j = 0; j < count; j++, rest >>>= 16) {
                    if ((char) rest == c) {
                        return children[j];
                    }
                }
                return null;
            }
            Node[] table = byKey;
            if (table != null) {
                int i = c - firstKey;
                return i >= 0 && i < table.length ? table[i] : null;
            }
            int i = Arrays.binarySearch(keys, c);
            return i >= 0 ? children[i] : null;
        }

        /** Whether {@code text[from, end)} starts with this node's label. */
        boolean labelMatches(CharSequence text, int from, int end) {
            int length = labelLength;
            if (end - from < length) {
                return false;
            }
            int bits = labelBits;
            if (bits != 0) {
                long rest = packedLabel;
                long charMask = (1L << bits) - 1;
                for (int j = 1; j < length; j++) { // the first character chose this child
                    rest >>>= bits;
                    if (text.charAt(from + j) != (rest & charMask)) {
                        return false;
                    }
                }
                return true;
            }
            char[] l = label;
            for (int j = 1; j < length; j++) {
                if (text.charAt(from + j) != l[j]) {
                    return false;
                }
            }
            return true;
        }

        private Node withLabel(char[] newLabel) {
            return new Node(newLabel, keys, children, routes);
        }

        /** Inserts below this node the part of {@code prefix} from {@code depth}, this node's label already matched. */
        Node insert(char[] prefix, int depth, Route route) {
            if (depth == prefix.length) {
                return new Node(label, keys, children, withRoute(routes, route));
            }
            int i = Arrays.binarySearch(keys, prefix[depth]);
            if (i < 0) {
                Node leaf = new Node(Arrays.copyOfRange(prefix, depth, prefix.length), NO_CHARS, NO_CHILDREN,
                        new Route[] {route});
                return withChild(i, leaf);
            }
            Node child = children[i];
            int common = commonLength(child.label, prefix, depth);
            if (common == child.label.length) {
                return withChild(i, child.insert(prefix, depth + common, route));
            }
            // The new prefix leaves the child's edge part-way: split the edge at the divergence.
            Node lower = child.withLabel(Arrays.copyOfRange(child.label, common, child.label.length));
            Node split = new Node(Arrays.copyOf(child.label, common), new char[] {lower.label[0]},
                    new Node[] {lower}, null);
            return withChild(i, split.insert(prefix, depth + common, route));
        }

        /** Removes the route at {@code prefix}; returns this node if nothing changed, null if the node is now empty. */
        Node remove(char[] prefix, int depth, Route route) {
            if (depth == prefix.length) {
                Route[] remaining = withoutRoute(routes, route);
                return remaining == routes ? this : compact(new Node(label, keys, children, remaining));
            }
            int i = Arrays.binarySearch(keys, prefix[depth]);
            if (i < 0) {
                return this;
            }
            Node child = children[i];
            if (commonLength(child.label, prefix, depth) != child.label.length) {
                return this;
            }
            Node next = child.remove(prefix, depth + child.label.length, route);
            if (next == child) {
                return this;
            }
            return compact(next == null ? withoutChild(i) : withChild(i, next));
        }

        /** Drops an empty node and merges a route-less node into its only child, keeping edges maximal. */
        private Node compact(Node node) {
            if (node.label.length == 0) {
                return node; // the root stays, even empty
            }
            if (node.routes == null && node.keys.length == 0) {
                return null;
            }
            if (node.routes == null && node.keys.length == 1) {
                Node only = node.children[0];
                char[] merged = Arrays.copyOf(node.label, node.label.length + only.label.length);
                System.arraycopy(only.label, 0, merged, node.label.length, only.label.length);
                return only.withLabel(merged);
            }
            return node;
        }

        private static int commonLength(char[] label, char[] prefix, int depth) {
            int n = Math.min(label.length, prefix.length - depth);
            int common = 0;
            while (common < n && label[common] == prefix[depth + common]) {
                common++;
            }
            return common;
        }

        /** A copy with child {@code index} replaced, or inserted at {@code -index - 1} when negative. */
        private Node withChild(int index, Node child) {
            if (index >= 0) {
                Node[] copy = children.clone();
                copy[index] = child;
                return new Node(label, keys, copy, routes);
            }
            int at = -index - 1;
            char[] newKeys = new char[keys.length + 1];
            Node[] newChildren = new Node[children.length + 1];
            System.arraycopy(keys, 0, newKeys, 0, at);
            System.arraycopy(children, 0, newChildren, 0, at);
            newKeys[at] = child.label[0];
            newChildren[at] = child;
            System.arraycopy(keys, at, newKeys, at + 1, keys.length - at);
            System.arraycopy(children, at, newChildren, at + 1, children.length - at);
            return new Node(label, newKeys, newChildren, routes);
        }

        private Node withoutChild(int index) {
            char[] newKeys = new char[keys.length - 1];
            Node[] newChildren = new Node[children.length - 1];
            System.arraycopy(keys, 0, newKeys, 0, index);
            System.arraycopy(children, 0, newChildren, 0, index);
            System.arraycopy(keys, index + 1, newKeys, index, keys.length - index - 1);
            System.arraycopy(children, index + 1, newChildren, index, children.length - index - 1);
            return new Node(label, newKeys, newChildren, routes);
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
}
