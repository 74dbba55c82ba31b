package io.swarmgate.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property checks on random tables and requests, each seed reproducible: {@link RouteTable#find} agrees with
 * {@link ReferenceMatcher}, and a table changed step by step with {@link RouteTable#replace} (edges split, merged and
 * dropped along the way) answers exactly as one built whole with {@link RouteTable#of} and as the reference.
 */
class RouteTableRandomizedTest {
    private static final List<String> DOMAINS = List.of("a.com", "b.a.com", "x.b.a.com", "c.org", "*.a.com",
            "*.b.a.com", "*.org", "*.x.b.a.com");
    private static final List<String> PREFIXES = List.of("/", "/a", "/a/", "/a/b", "/ab", "/b", "/A", "/a?");
    private static final List<String> HOSTS = List.of("a.com", "A.COM", "b.a.com", "x.b.a.com", "y.x.b.a.com",
            "c.org", "d.c.org", "a.com:8080", "B.a.Com:80", "a.com.", "a.com.:8080", "other.net", "com", "", "a.com:", "z.org.");
    private static final int[] PORTS = {80, 8080, 443};
    private static final int TABLES_PER_SEED = 300;
    private static final int REQUESTS_PER_TABLE = 40;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void findAgreesWithTheReferenceMatcher(long seed) {
        Random random = new Random(seed);
        for (int t = 0; t < TABLES_PER_SEED; t++) {
            List<Route> routes = randomRoutes(random, random.nextInt(13));
            RouteTable table = RouteTable.of(routes);
            for (int r = 0; r < REQUESTS_PER_TABLE; r++) {
                String host = random.nextInt(10) == 0 ? null : pick(random, HOSTS);
                String uri = randomUri(random);
                int port = PORTS[random.nextInt(PORTS.length)];
                assertThat(table.find(host, uri, port))
                        .as("seed %d, table %s, request host=%s uri=%s port=%d", seed, routes, host, uri, port)
                        .isSameAs(ReferenceMatcher.find(routes, host, uri, port));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void replaceStepByStepAnswersAsATableBuiltWhole(long seed) {
        Random random = new Random(seed);
        List<Route> current = new ArrayList<>();
        RouteTable table = RouteTable.EMPTY;
        for (int step = 0; step < 400; step++) {
            List<Route> removed = new ArrayList<>();
            for (Route route : current) {
                if (random.nextInt(4) == 0) {
                    removed.add(route);
                }
            }
            List<Route> added = randomRoutes(random, random.nextInt(4));
            current.removeAll(removed);
            current.addAll(added);
            table = table.replace(removed, added);

            RouteTable whole = RouteTable.of(current);
            assertThat(table.routes()).containsExactlyElementsOf(whole.routes());
            for (int r = 0; r < REQUESTS_PER_TABLE; r++) {
                String host = pick(random, HOSTS);
                String uri = randomUri(random);
                int port = PORTS[random.nextInt(PORTS.length)];
                Route found = table.find(host, uri, port);
                assertThat(found)
                        .as("seed %d step %d host=%s uri=%s port=%d", seed, step, host, uri, port)
                        .isSameAs(whole.find(host, uri, port))
                        .isSameAs(ReferenceMatcher.find(current, host, uri, port));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23})
    void theListingTheSizeAndTheDefaultRouteFollowChangesNobodyListed(long seed) {
        Random random = new Random(seed);
        List<Route> current = new ArrayList<>();
        RouteTable table = RouteTable.EMPTY;
        for (int step = 0; step < 600; step++) {
            List<Route> removed = new ArrayList<>();
            for (Route route : current) {
                if (random.nextInt(5) == 0) {
                    removed.add(route);
                }
            }
            List<Route> added = randomRoutes(random, random.nextInt(4), true);
            current.removeAll(removed);
            current.addAll(added);
            table = table.replace(removed, added);

            RouteTable whole = RouteTable.of(current);
            assertThat(table.size()).as("seed %d step %d", seed, step).isEqualTo(current.size());
            assertThat(table.find("nothing.invalid", "/", 1)).as("default, seed %d step %d", seed, step)
                    .isSameAs(whole.find("nothing.invalid", "/", 1));
            if (step % 37 == 0) { // most tables are never listed: their list is worked out from a row of changes
                assertThat(table.routes()).containsExactlyElementsOf(whole.routes());
            }
        }
    }

    /**
     * Long prefixes over a small alphabet (digits close together, letters, a Latin-1 and a wider character), many to a
     * table: the trie gets edges longer than a packed label, nodes with many children near and far apart, and requests
     * that leave an edge at every position.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31, 32, 33, 34})
    void longPrefixesUnderManyChildrenAgreeWithTheReferenceMatcher(long seed) {
        Random random = new Random(seed);
        String alphabet = "0123456789az-/\u00e9\u0142";
        for (int t = 0; t < 100; t++) {
            List<Route> routes = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            for (int i = random.nextInt(60); i >= 0; i--) {
                String prefix = "/" + randomText(random, alphabet, random.nextInt(14));
                prefixes.add(prefix);
                routes.add(Route.builder("s" + i).backend("b", 80).path(prefix).build());
            }
            RouteTable table = RouteTable.of(routes);
            for (int r = 0; r < REQUESTS_PER_TABLE; r++) {
                String prefix = pick(random, prefixes);
                String uri = prefix.substring(0, random.nextInt(prefix.length() + 1))
                        + randomText(random, alphabet, random.nextInt(6));
                assertThat(table.find(null, uri, 80)).as("seed %d, table %s, uri %s", seed, routes, uri)
                        .isSameAs(ReferenceMatcher.find(routes, null, uri, 80));
            }
        }
    }

    /**
     * Hundreds of prefixes over an alphabet rich in {@code /}, on one host and on any host, added and removed a few at
     * a time: each trie's index of prefixes is built, kept up through split and merged edges, and dropped again as
     * the table shrinks, and every answer agrees with the reference matcher's.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {41, 42, 43})
    void largeTriesChangedStepByStepAgreeWithTheReferenceMatcher(long seed) {
        Random random = new Random(seed);
        String alphabet = "01ab/";
        List<Route> current = new ArrayList<>();
        RouteTable table = RouteTable.EMPTY;
        for (int step = 0; step < 400; step++) {
            boolean growing = step < 250;
            List<Route> removed = new ArrayList<>();
            for (Route route : current) {
                if (random.nextInt(growing ? 60 : 5) == 0) {
                    removed.add(route);
                }
            }
            List<Route> added = new ArrayList<>();
            for (int i = growing ? 1 + random.nextInt(6) : 0; i > 0; i--) {
                Route.Builder route = Route.builder("s" + step + "-" + i).backend("b", 80)
                        .entryPort(new int[] {0, 0, 0, 80, 8080}[random.nextInt(5)])
                        .path("/" + randomText(random, alphabet, random.nextInt(10)));
                if (random.nextBoolean()) {
                    route.domain("a.com");
                }
                added.add(route.build());
            }
            current.removeAll(removed);
            current.addAll(added);
            table = table.replace(removed, added);
            for (int r = 0; r < REQUESTS_PER_TABLE && !current.isEmpty(); r++) {
                String prefix = pick(random, current).pathPrefixes().get(0);
                String uri = prefix.substring(0, random.nextInt(prefix.length() + 1))
                        + randomText(random, alphabet + "?", random.nextInt(8));
                String host = random.nextBoolean() ? "A.com" : "b.com";
                int port = PORTS[random.nextInt(PORTS.length)];
                assertThat(table.find(host, uri, port))
                        .as("seed %d step %d host=%s uri=%s port=%d", seed, step, host, uri, port)
                        .isSameAs(ReferenceMatcher.find(current, host, uri, port));
            }
        }
    }

    private static String randomText(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static List<Route> randomRoutes(Random random, int count) {
        return randomRoutes(random, count, false);
    }

    /** @param someDefault whether some are default routes, which the reference matcher does not know */
    private static List<Route> randomRoutes(Random random, int count, boolean someDefault) {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Route.Builder route = Route.builder(pick(random, List.of("s1", "s2", "s3")))
                    .aclName(pick(random, List.of("", "05-x", "a", "b")))
                    .index(random.nextInt(4))
                    .entryPort(new int[] {0, 0, 80, 8080}[random.nextInt(4)])
                    .backend(pick(random, List.of("b1", "b2", "b3")), 80)
                    .defaultRoute(someDefault && random.nextInt(6) == 0);
            for (int p = random.nextInt(4); p > 0; p--) {
                route.path(pick(random, PREFIXES));
            }
            for (int d = random.nextInt(3); d > 0; d--) {
                route.domain(pick(random, DOMAINS));
            }
            routes.add(route.build());
        }
        return routes;
    }

    private static String randomUri(Random random) {
        String chars = "/abA?#";
        StringBuilder uri = new StringBuilder(random.nextBoolean() ? "/" : "");
        for (int i = random.nextInt(7); i > 0; i--) {
            uri.append(chars.charAt(random.nextInt(chars.length())));
        }
        return uri.toString();
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
