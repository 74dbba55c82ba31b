package io.swarmgate.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A table of 100,000 services, half bound to a host and half to a path alone, changed one service at a time as
 * reconfigures change it: every change is seen at once, the tables before it stay as they were, and readers on other
 * threads always see one whole table.
 */
class RouteTableAtScaleTest {
    private static final int SERVICES = 100_000;

    @Test
    void replacingAndRemovingServicesOneAtATimeInATableOf100000() {
        Route[] current = new Route[SERVICES];
        for (int i = 0; i < SERVICES; i++) {
            current[i] = service(i, "/svc-" + i + "/");
        }
        RouteTable table = RouteTable.of(List.of(current));
        RouteTable loaded = table;
        Random random = new Random(7);
        for (int step = 0; step < 2_000; step++) {
            int i = random.nextInt(SERVICES);
            Route before = current[i];
            Route after = step % 3 == 0 ? null : service(i, "/moved-" + step + "/");
            table = table.replace(before == null ? List.of() : List.of(before),
                    after == null ? List.of() : List.of(after));
            current[i] = after;

            assertThat(table.find(host(i), "/moved-" + step + "/x", 80)).as("step %d", step).isSameAs(after);
            if (before != null) {
                String oldPath = before.pathPrefixes().get(0);
                assertThat(table.find(host(i), oldPath, 80)).as("step %d, old path", step).isNull();
            }
        }
        List<Route> expected = new ArrayList<>();
        for (Route route : current) {
            if (route != null) {
                expected.add(route);
            }
        }
        expected.sort(Comparator.comparing((Route r) -> r.domains().isEmpty()).thenComparing(Route::serviceName));
        assertThat(table.size()).isEqualTo(expected.size());
        assertThat(table.routes()).containsExactlyElementsOf(expected);
        for (int i = 0; i < SERVICES; i += 997) {
            Route route = current[i];
            if (route != null) {
                assertThat(table.find(host(i), route.pathPrefixes().get(0), 80)).isSameAs(route);
            }
            assertThat(loaded.find(host(i), "/svc-" + i + "/", 80)).as("the table before the changes").isNotNull();
        }
        assertThat(loaded.size()).isEqualTo(SERVICES);
    }

    @Test
    void readersOnOtherThreadsAlwaysSeeOneWholeTable() throws Exception {
        int services = 10_000;
        Route[] onA = new Route[services];
        Route[] onB = new Route[services];
        for (int i = 0; i < services; i++) {
            onA[i] = service(i, "/a-" + i + "/");
            onB[i] = service(i, "/b-" + i + "/");
        }
        Snapshot published = new Snapshot(RouteTable.of(List.of(onA)));
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> checks = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                long seed = r;
                checks.add(readers.submit(() -> {
                    Random random = new Random(seed);
                    int reads = 0;
                    while (!done.get() || reads == 0) {
                        RouteTable table = published.table;
                        int i = random.nextInt(services);
                        Route a = table.find(host(i), "/a-" + i + "/", 80);
                        Route b = table.find(host(i), "/b-" + i + "/", 80);
                        assertThat(a == null).as("service %d on exactly one path", i).isNotEqualTo(b == null);
                        assertThat(a != null ? a : b).isIn(onA[i], onB[i]);
                        assertThat(table.size()).isEqualTo(services);
                        reads++;
                    }
                    return reads;
                }));
            }
            RouteTable table = published.table;
            Random random = new Random(99);
            boolean[] moved = new boolean[services];
            for (int step = 0; step < 20_000; step++) {
                int i = random.nextInt(services);
                Route from = moved[i] ? onB[i] : onA[i];
                Route to = moved[i] ? onA[i] : onB[i];
                table = table.replace(List.of(from), List.of(to));
                moved[i] = !moved[i];
                published.table = table;
            }
            done.set(true);
            for (Future<Integer> check : checks) {
                assertThat(check.get(30, TimeUnit.SECONDS)).isPositive();
            }
        } finally {
            done.set(true);
            readers.shutdownNow();
        }
    }

    /**
     * Even services have a host of their own, odd ones a path alone. Paths end with a slash, so that no service's
     * path is a prefix of another's.
     */
    private static Route service(int i, String path) {
        Route.Builder route = Route.builder(String.format("svc-%06d", i)).backend("b", 80).path(path);
        return i % 2 == 0 ? route.domain(host(i)).build() : route.build();
    }

    private static String host(int i) {
        return "svc-" + i + ".example.com";
    }

    /** The published table, as the proxy holds it: one volatile reference. */
    private static final class Snapshot {
        volatile RouteTable table;

        Snapshot(RouteTable table) {
            this.table = table;
        }
    }
}
