package io.swarmgate.bench;

import io.swarmgate.proxy.route.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic route tables and request mixes for the routing benchmarks, shaped like a Swarm cluster's services.
 *
 * <ul>
 *   <li>{@link Shape#PREFIX}: every service owns a path prefix ({@code /orders-17}, some with a second, deeper one such
 *       as {@code /api/v2/orders-17}), any host;</li>
 *   <li>{@link Shape#DOMAIN}: every service owns a host name ({@code orders-17.apps.example.com}), path {@code /};</li>
 *   <li>{@link Shape#MIXED}: a third exact domains with one or two prefixes each, a third wildcard domains
 *       ({@code *.tenant-17.example.net}), a third path prefixes on any host.</li>
 * </ul>
 *
 * <p>Requests look like real ones: mixed-case Host headers, some with a port, paths a few segments deep, most with a
 * query string. Hits reach a configured service; misses match no route at all (an unknown host with an unknown
 * path), which is the most expensive walk for the table.
 */
public final class RouteFixtures {
    /** How the services of a table are told apart. */
    public enum Shape {
        PREFIX, DOMAIN, MIXED
    }

    /** One request as the data plane sees it: the Host header and the origin-form request target. */
    public record Request(String host, String uri) {
    }

    private static final String[] WORDS = {
        "orders", "billing", "users", "search", "catalog", "cart", "auth", "media", "reports", "inventory",
        "payments", "shipping", "reviews", "notify", "profile", "gateway", "ledger", "pricing", "events", "export"
    };
    private static final String[] TAILS = {
        "", "/", "/items/42", "/v1/list", "/static/app.3f9c1e.js", "/health", "/a/b/c/d/e", "/search",
    };
    private static final String[] QUERIES = {
        "", "?page=2&size=50", "?q=red+shoes&sort=price_asc&utm_source=newsletter", "?id=8c2f7a41-90e3-4c1b",
        "?v=3",
    };

    private RouteFixtures() {
    }

    /** The name of service {@code i}, e.g. {@code orders-17}. */
    static String service(int i) {
        return WORDS[i % WORDS.length] + "-" + i;
    }

    /** {@code count} routes of the given shape, all pointing at one backend (the target plays no part in lookup). */
    public static List<Route> routes(Shape shape, int count) {
        List<Route> routes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            routes.add(route(shape, i));
        }
        return routes;
    }

    private static Route route(Shape shape, int i) {
        String name = service(i);
        Route.Builder b = Route.builder(name).backend(name, 8080);
        switch (shape) {
            case PREFIX -> {
                b.path("/" + name);
                if (i % 4 == 0) {
                    b.path("/api/v2/" + name);
                }
            }
            case DOMAIN -> b.domain(name + ".apps.example.com");
            case MIXED -> {
                switch (i % 3) {
                    case 0 -> {
                        b.domain(name + ".apps.example.com").path("/");
                        if (i % 2 == 0) {
                            b.path("/api/" + name);
                        }
                    }
                    case 1 -> b.domain("*.tenant-" + i + ".example.net");
                    default -> b.path("/" + name);
                }
            }
            default -> throw new IllegalArgumentException("shape: " + shape);
        }
        return b.build();
    }

    /**
     * The same service changed the way a reconfigure changes it: its path prefixes gain a {@code -v2} suffix, or its
     * host names a {@code v2-} label. Not equal to {@code route}.
     */
    public static Route variant(Route route) {
        Route.Builder b = Route.builder(route.serviceName()).aclName(route.aclName()).index(route.index())
                .entryPort(route.entryPort()).backend(route.backend());
        if (route.domains().isEmpty()) {
            route.pathPrefixes().forEach(p -> b.path(p.equals("/") ? p : p + "-v2"));
        } else {
            route.domains().forEach(d -> b.domain(d.startsWith("*.") ? "*.v2-" + d.substring(2) : "v2-" + d));
            b.paths(route.pathPrefixes());
        }
        return b.build();
    }

    /** {@code n} requests that each match a route of the table built by {@code routes(shape, count)}. */
    public static Request[] hits(Shape shape, int count, int n, long seed) {
        Random random = new Random(seed);
        Request[] requests = new Request[n];
        for (int k = 0; k < n; k++) {
            int i = random.nextInt(count);
            String name = service(i);
            String rest = tail(random);
            requests[k] = switch (shape) {
                case PREFIX -> new Request(anyHost(random),
                        (i % 4 == 0 && random.nextBoolean() ? "/api/v2/" : "/") + name + rest);
                case DOMAIN -> new Request(hostHeader(name + ".apps.example.com", random), pathOnly(rest));
                case MIXED -> switch (i % 3) {
                    case 0 -> new Request(hostHeader(name + ".apps.example.com", random),
                            i % 2 == 0 && random.nextBoolean() ? "/api/" + name + rest : pathOnly(rest));
                    case 1 -> new Request(hostHeader("shop-" + random.nextInt(100) + ".tenant-" + i + ".example.net",
                            random), pathOnly(rest));
                    default -> new Request(anyHost(random), "/" + name + rest);
                };
            };
        }
        return requests;
    }

    /** {@code n} requests that match no route: a host no service claims and a path no prefix starts. */
    public static Request[] misses(Shape shape, int n, long seed) {
        Random random = new Random(seed);
        Request[] requests = new Request[n];
        for (int k = 0; k < n; k++) {
            String host = hostHeader("www-" + random.nextInt(10_000) + ".unknown-" + random.nextInt(50) + ".example.org",
                    random);
            // "/orders-x" shares a long stretch with real prefixes such as "/orders-17" before it fails.
            String path = random.nextBoolean()
                    ? "/" + WORDS[random.nextInt(WORDS.length)] + "-x" + tail(random)
                    : "/wp-login.php" + QUERIES[random.nextInt(QUERIES.length)];
            requests[k] = new Request(host, path);
        }
        return requests;
    }

    private static String tail(Random random) {
        return TAILS[random.nextInt(TAILS.length)] + QUERIES[random.nextInt(QUERIES.length)];
    }

    private static String pathOnly(String rest) {
        return rest.startsWith("/") ? rest : "/" + rest;
    }

    private static String anyHost(Random random) {
        return hostHeader("www.example.com", random);
    }

    /** The host as clients send it: sometimes in capitals, sometimes with a port. */
    private static String hostHeader(String host, Random random) {
        int style = random.nextInt(4);
        return switch (style) {
            case 0 -> host.toUpperCase(java.util.Locale.ROOT);
            case 1 -> host + ":443";
            default -> host;
        };
    }
}
