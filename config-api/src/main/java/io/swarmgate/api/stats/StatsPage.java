package io.swarmgate.api.stats;

import io.swarmgate.api.metrics.DataPlaneStats;
import io.swarmgate.proxy.policy.BasicAuth;
import io.swarmgate.proxy.policy.HeaderEdits;
import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.policy.RoutePolicy;
import io.swarmgate.proxy.policy.StatusPage;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Docker Flow Proxy's statistics page on the data-plane ports: with {@code STATS_USER} and {@code STATS_PASS} set, a
 * request whose target starts with {@code STATS_URI} (default {@code /admin?stats}) gets the statistics as HTML,
 * behind basic auth unless both are {@code none}. It is one more route, added to every table the data plane gets; its
 * condition lets any other request for the same path go to the service that routes it.
 */
public final class StatsPage {
    /** The route's name in metrics and logs; no Swarm service name starts with an underscore. */
    static final String SERVICE = "_stats";
    private static final String DEFAULT_URI = "/admin?stats";
    private static final String NO_AUTH = "none";

    private final Route route;

    private StatsPage(Route route) {
        this.route = route;
    }

    /** The page the environment asks for, or none when {@code STATS_USER} or {@code STATS_PASS} is unset. */
    public static Optional<StatsPage> fromEnvironment(Map<String, String> environment,
                                                     Supplier<DataPlaneStats> stats) {
        String user = environment.getOrDefault("STATS_USER", "");
        String password = environment.getOrDefault("STATS_PASS", "");
        if (user.isEmpty() || password.isEmpty()) {
            return Optional.empty();
        }
        String uri = environment.getOrDefault("STATS_URI", "");
        if (uri.isEmpty()) {
            uri = DEFAULT_URI;
        }
        if (!uri.startsWith("/")) {
            throw new IllegalArgumentException("STATS_URI: '" + uri + "' (expected: a path starting with /)");
        }
        List<RoutePolicy> policies = new ArrayList<>(2);
        if (!(user.equals(NO_AUTH) && password.equals(NO_AUTH))) {
            byte[] expected = password.getBytes(StandardCharsets.UTF_8);
            Predicate<String> check = given -> MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected);
            policies.add(new BasicAuth("Statistics", Map.of(user, check)));
        }
        policies.add(new StatusPage("text/html; charset=utf-8", () -> StatsHtml.render(stats.get())));
        String statsUri = uri;
        int query = uri.indexOf('?');
        Route route = Route.builder(SERVICE)
                .path(query < 0 ? uri : uri.substring(0, query))
                .condition((target, pathEnd, host, headers) -> startsWith(target, statsUri))
                .policies(RoutePolicies.of(policies, HeaderEdits.NONE))
                // Never connected to: the page answers every request the route takes.
                .backend("localhost", 1)
                .build();
        return Optional.of(new StatsPage(route));
    }

    /** Gives {@code publisher} each table with the page's route added. */
    public Consumer<RouteTable> addedTo(Consumer<RouteTable> publisher) {
        return table -> publisher.accept(table.replace(List.of(), List.of(route)));
    }

    private static boolean startsWith(CharSequence text, String prefix) {
        if (text.length() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
