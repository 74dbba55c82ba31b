package io.swarmgate.proxy.route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Longest-prefix matching of request paths against raw path prefixes, with no allocation per lookup.
 *
 * <p>A radix tree: each edge carries a run of characters, so a lookup touches one node per branching point rather
 * than one per character, and compares the runs in place; a large tree also indexes its prefixes by their text, so
 * that a lookup skips to the node of the path's first {@code /}-ended prefix. Immutable and persistent:
 * {@linkplain #changes changes} copy only the nodes on the changed prefixes' paths (and the index's entries for them)
 * and share the rest.
 */
final class PrefixTrie {
    /** Within one prefix: routes with extra conditions first, then by aclName, service name and index. */
    static final Comparator<Route> SAME_PREFIX_ORDER = Comparator
            .comparing((Route r) -> !r.hasConditions())
            .thenComparing(Route::aclName)
            .thenComparing(Route::serviceName)
            .thenComparingInt(Route::index);

    static final PrefixTrie EMPTY = new PrefixTrie(Node.ROOT, 0, null);

    /** A trie with this many prefixes gets an {@link #byPrefix} index, and keeps it down to half as many. */
    private static final int INDEXED_PREFIXES = 64;

    private final Node root;
    /** How many prefixes have routes. */
    private final int prefixes;
    /**
     * Every prefix that has routes, mapped to its node, on a trie of {@link #INDEXED_PREFIXES} or more; else
     * {@code null}. A lookup on a large trie is bound by cache misses, one or two per branching point: the index
     * finds the node of a prefix that ends at one of the path's {@code /} (or at its end) in one probe, and the walk
     * goes on from there.
     */
    private final HostIndex<Node> byPrefix;
    /**
     * The root's only child when the root has no routes (every prefix starts with {@code /}): a lookup starts there,
     * one read fewer; {@code null} otherwise.
     */
    private final Node top;
    private final char topKey;
    /*
     * When the trie is one prefix of up to eight Latin-1 characters with a route that always matches (a host's usual
     * only path, such as /), that route and the prefix packed: a lookup then reads no node at all.
     */
    private final Route single;
    private final long singlePacked;
    private final int singleLength;

    private PrefixTrie(Node root, int prefixes, HostIndex<Node> byPrefix) {
        this.root = root;
        this.prefixes = prefixes;
        this.byPrefix = byPrefix;
        this.top = root.routes == null && root.childCount == 1 ? root.onlyChild : null;
        this.topKey = top == null ? 0 : root.keys[0];
        boolean packs = top != null && top.childCount == 0 && top.unconditional != null
                && top.labelLength <= Node.PACKED_LATIN1_CHARS && allLatin1(top.label);
        this.single = packs ? top.unconditional : null;
        this.singlePacked = packs ? Node.pack(top.label, 8) : 0;
        this.singleLength = packs ? top.labelLength : 0;
    }

    private static boolean allLatin1(char[] chars) {
        for (char c : chars) {
            if (c > 0xFF) {
                return false;
            }
        }
        return true;
    }

    boolean isEmpty() {
        return root.isEmpty();
    }

    /** Finds the route with the longest prefix of {@code uri[0, pathEnd)} whose conditions hold. */
    Route find(CharSequence uri, int pathEnd, int localPort, CharSequence hostHeader, RequestHeaders headers) {
        Route only = single;
        if (only != null) {
            return startsWithSingle(uri, pathEnd) ? only : null;
        }
        HostIndex<Node> index = byPrefix;
        if (index != null) {
            Route route = findIndexed(index, uri, pathEnd, localPort, hostHeader, headers);
            if (route != null) {
                return route;
            }
        }
        Node start = top;
        if (start == null) {
            return descend(root, 0, root.firstMatching(uri, pathEnd, localPort, hostHeader, headers),
                    uri, pathEnd, localPort, hostHeader, headers);
        }
        if (pathEnd == 0 || uri.charAt(0) != topKey || !start.labelMatches(uri, 0, pathEnd)) {
            return null;
        }
        return descend(start, start.labelLength, start.match(uri, pathEnd, localPort, hostHeader, headers),
                uri, pathEnd, localPort, hostHeader, headers);
    }

    private boolean startsWithSingle(CharSequence uri, int pathEnd) {
        int length = singleLength;
        if (pathEnd < length) {
            return false;
        }
        long rest = singlePacked;
        for (int j = 0; j < length; j++, rest >>>= 8) {
            if (uri.charAt(j) != (rest & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The route below the shortest prefix of the path that ends at a {@code /} or at the path's end and has routes:
     * every longer prefix that matches the path starts with it, so the walk from its node finds the longest. Probes
     * from the shortest, as the hash is worked out. {@code null} when no such prefix is indexed or no route at it or
     * below takes the request: a shorter prefix's route may, and the walk from the root decides.
     */
    private static Route findIndexed(HostIndex<Node> index, CharSequence uri, int pathEnd, int localPort,
                                     CharSequence hostHeader, RequestHeaders headers) {
        int hash = 0;
        for (int i = 0; i < pathEnd; i++) {
            char c = uri.charAt(i);
            if (c == '/' && i > 0) {
                Node node = index.get(hash, uri, 0, i);
                if (node != null) {
                    return descend(node, i, node.match(uri, pathEnd, localPort, hostHeader, headers),
                            uri, pathEnd, localPort, hostHeader, headers);
                }
            }
            hash = 31 * hash + c;
        }
        Node node = index.get(hash, uri, 0, pathEnd);
        return node == null ? null : node.match(uri, pathEnd, localPort, hostHeader, headers);
    }

    /** The best route from {@code node}, matched up to {@code i}, and the nodes below it along the path. */
    private static Route descend(Node node, int i, Route best, CharSequence uri, int pathEnd, int localPort,
                                 CharSequence hostHeader, RequestHeaders headers) {
        while (i < pathEnd) {
            Node child = node.child(uri.charAt(i));
            if (child == null || !child.labelMatches(uri, i, pathEnd)) {
                break;
            }
            i += child.labelLength;
            node = child;
            if (node.routes != null) {
                Route match = node.match(uri, pathEnd, localPort, hostHeader, headers);
                if (match != null) {
                    best = match;
                }
            }
        }
        return best;
    }

    /** A set of changes to this trie, made by {@link Changes#apply} in one new trie. */
    Changes changes() {
        return new Changes(this);
    }

    /**
     * Routes given to prefixes and taken from them. The nodes change at once, one prefix at a time; the index, once for
     * all of them in {@link #apply}: a service moving to another path changes two prefixes, and with 100,000 prefixes
     * each update of the index copies some kilobytes.
     */
    static final class Changes {
        private final PrefixTrie original;
        private Node root;
        private final Set<String> changed = new HashSet<>();

        private Changes(PrefixTrie original) {
            this.original = original;
            this.root = original.root;
        }

        void add(String prefix, Route route) {
            root = root.insert(prefix.toCharArray(), 0, route);
            changed.add(prefix);
        }

        void remove(String prefix, Route route) {
            Node next = root.remove(prefix.toCharArray(), 0, route);
            if (next != root) {
                root = next == null ? Node.ROOT : next;
                changed.add(prefix);
            }
        }

        PrefixTrie apply() {
            return changed.isEmpty() ? original : original.changed(root, changed);
        }
    }

    /** This trie with {@code newRoot}, which differs from {@link #root} in the routes at {@code prefixes} only. */
    private PrefixTrie changed(Node newRoot, Set<String> changedPrefixes) {
        int count = prefixes;
        for (String prefix : changedPrefixes) {
            count += (nodeAt(newRoot, prefix) != null ? 1 : 0) - (nodeAt(root, prefix) != null ? 1 : 0);
        }
        HostIndex<Node> index;
        if (byPrefix == null) {
            index = count >= INDEXED_PREFIXES ? new HostIndex<>(allPrefixes(newRoot), false) : null;
        } else if (2 * count >= INDEXED_PREFIXES) {
            Map<String, Node> updates = new HashMap<>();
            for (String prefix : changedPrefixes) {
                staleEntries(newRoot, prefix, updates);
            }
            index = byPrefix.with(updates);
        } else {
            index = null;
        }
        return new PrefixTrie(newRoot, count, index);
    }

    /** The node of {@code prefix} if it has routes, else {@code null}. */
    private static Node nodeAt(Node root, String prefix) {
        Node node = root;
        int i = 0;
        while (i < prefix.length()) {
            node = node.child(prefix.charAt(i));
            if (node == null || !node.labelMatches(prefix, i, prefix.length())) {
                return null;
            }
            i += node.labelLength;
        }
        return node.routes != null ? node : null;
    }

    private static Map<String, Node> allPrefixes(Node root) {
        Map<String, Node> all = new HashMap<>();
        collect(root, new StringBuilder(), all);
        return all;
    }

    private static void collect(Node node, StringBuilder path, Map<String, Node> into) {
        int length = path.length();
        path.append(node.label);
        if (node.routes != null) {
            into.put(path.toString(), node);
        }
        for (Node child : node.children) {
            collect(child, path, into);
        }
        path.setLength(length);
    }

    /**
     * Puts into {@code updates} the index entries a change at {@code prefix} makes stale. A change copies the nodes
     * along the prefix's path, and may replace a child of one of them (the rest of an edge it split, or a child that a
     * removal merged with its parent); every other node is shared with the index's trie and still indexed.
     */
    private void staleEntries(Node newRoot, String prefix, Map<String, Node> updates) {
        StringBuilder path = new StringBuilder(prefix.length() + 16);
        Node node = newRoot;
        while (node != null) {
            if (node.routes != null) {
                updates.put(path.toString(), node);
            }
            int depth = path.length();
            Node next = depth < prefix.length() ? node.child(prefix.charAt(depth)) : null;
            if (next != null && !next.labelMatches(prefix, depth, prefix.length())) {
                next = null;
            }
            for (Node child : node.children) {
                if (child != next && child.routes != null) {
                    path.append(child.label);
                    if (byPrefix.get(path, 0, path.length()) != child) {
                        updates.put(path.toString(), child);
                    }
                    path.setLength(depth);
                }
            }
            if (next != null) {
                path.append(next.label);
            }
            node = next;
        }
        if (nodeAt(newRoot, prefix) == null) {
            updates.put(prefix, null);
        }
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

        /** The first of this node's routes that takes the request, {@code null} for none. */
        Route match(CharSequence uri, int pathEnd, int localPort, CharSequence hostHeader, RequestHeaders headers) {
            return unconditional != null ? unconditional
                    : firstMatching(uri, pathEnd, localPort, hostHeader, headers);
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
