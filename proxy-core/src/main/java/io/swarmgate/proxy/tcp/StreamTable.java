package io.swarmgate.proxy.tcp;

import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The TCP routes, by proxy port: an immutable snapshot, published whole. A connection reads it once, when it is
 * accepted. On each port, routes with server names are tried in {@code aclName} order (then service name and
 * destination index, as DFP orders its ACLs); the first route without any is the port's default.
 */
public final class StreamTable {
    public static final StreamTable EMPTY = new StreamTable(List.of());

    private static final Comparator<StreamRoute> ORDER = Comparator.comparing(StreamRoute::aclName)
            .thenComparing(StreamRoute::serviceName)
            .thenComparingInt(StreamRoute::index);

    /** One port's routes. */
    private record Port(StreamRoute[] named, StreamRoute fallback) {
    }

    private final List<StreamRoute> routes;
    private final IntObjectMap<Port> ports = new IntObjectHashMap<>();

    private StreamTable(List<StreamRoute> sorted) {
        this.routes = Collections.unmodifiableList(sorted);
        IntObjectMap<List<StreamRoute>> byPort = new IntObjectHashMap<>();
        for (StreamRoute route : sorted) {
            List<StreamRoute> list = byPort.get(route.port());
            if (list == null) {
                list = new ArrayList<>();
                byPort.put(route.port(), list);
            }
            list.add(route);
        }
        for (IntObjectMap.PrimitiveEntry<List<StreamRoute>> entry : byPort.entries()) {
            List<StreamRoute> list = entry.value();
            StreamRoute fallback = list.stream().filter(r -> r.serverNames().isEmpty()).findFirst().orElse(null);
            ports.put(entry.key(), new Port(list.stream().filter(r -> !r.serverNames().isEmpty())
                    .toArray(StreamRoute[]::new), fallback));
        }
    }

    public static StreamTable of(Collection<StreamRoute> routes) {
        return EMPTY.replace(List.of(), routes);
    }

    /** A new table without the {@code removed} routes (the same instances as in this one) and with {@code added}. */
    public StreamTable replace(Collection<StreamRoute> removed, Collection<StreamRoute> added) {
        if (removed.isEmpty() && added.isEmpty()) {
            return this;
        }
        Set<StreamRoute> gone = Collections.newSetFromMap(new IdentityHashMap<>());
        gone.addAll(removed);
        List<StreamRoute> next = new ArrayList<>(routes.size() + added.size());
        for (StreamRoute route : routes) {
            if (!gone.contains(route)) {
                next.add(route);
            }
        }
        next.addAll(added);
        next.sort(ORDER);
        return new StreamTable(next);
    }

    /** The ports with at least one route, ascending. */
    public Set<Integer> ports() {
        return Collections.unmodifiableSet(new TreeSet<>(ports.keySet()));
    }

    /** Whether connections on the port must show their ClientHello before they can be routed. */
    public boolean inspects(int port) {
        Port routes = ports.get(port);
        return routes != null && routes.named().length > 0;
    }

    /**
     * The route of a connection on {@code port}: the first whose names include {@code serverName}, else the port's
     * default; {@code null} when there is neither.
     *
     * @param serverName the ClientHello's name, lower-cased, or {@code null} (no ClientHello, or no name in it)
     */
    public StreamRoute route(int port, String serverName) {
        Port routes = ports.get(port);
        if (routes == null) {
            return null;
        }
        if (serverName != null) {
            for (StreamRoute route : routes.named()) {
                if (route.matches(serverName)) {
                    return route;
                }
            }
        }
        return routes.fallback();
    }

    public List<StreamRoute> routes() {
        return routes;
    }

    public int size() {
        return routes.size();
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }

    /** One line per route, by port and in the order connections are matched. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        routes.stream().sorted(Comparator.comparingInt(StreamRoute::port)
                        .thenComparing(r -> r.serverNames().isEmpty())
                        .thenComparing(ORDER))
                .forEach(route -> out.append(String.format("tcp :%-5d  %-24s  %-20s  %s%n", route.port(),
                        route.serverNames().isEmpty() ? "(default)" : "sni " + route.serverNames(),
                        route.serviceName() + (route.index() == 0 ? "" : "." + route.index()), route.backend())));
        return out.toString();
    }
}
