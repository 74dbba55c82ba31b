package io.swarmgate.bench;

import io.swarmgate.bench.RouteFixtures.Request;
import io.swarmgate.bench.RouteFixtures.Shape;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@link RouteTable#find} per operation, as the data plane does once per request: tables of 10, 1,000 and 10,000
 * services in three shapes, looked up with requests that hit a service and with requests that match nothing.
 *
 * <p>Each operation takes the next of 4,096 pre-built requests (random services, mixed-case hosts, ports, query
 * strings), so neither the branch predictor nor the caches see one key over and over. Target: under 200 ns at 10,000
 * services.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RouteLookupBenchmark {
    private static final int REQUESTS = 4096; // a power of two: the cursor wraps with a mask
    private static final int LOCAL_PORT = 80;

    @Param({"10", "1000", "10000"})
    int services;

    @Param({"PREFIX", "DOMAIN", "MIXED"})
    Shape shape;

    private RouteTable table;
    private Request[] hits;
    private Request[] misses;
    private int cursor;

    @Setup
    public void setUp() {
        table = RouteTable.of(RouteFixtures.routes(shape, services));
        hits = RouteFixtures.hits(shape, services, REQUESTS, 42);
        misses = RouteFixtures.misses(shape, REQUESTS, 43);
        // A benchmark of the wrong thing is worse than none: check the fixtures do what their names say.
        for (Request r : hits) {
            if (table.find(r.host(), r.uri(), LOCAL_PORT) == null) {
                throw new IllegalStateException("expected a hit: " + r);
            }
        }
        for (Request r : misses) {
            Route route = table.find(r.host(), r.uri(), LOCAL_PORT);
            if (route != null) {
                throw new IllegalStateException("expected a miss: " + r + " found " + route);
            }
        }
    }

    @Benchmark
    public Route hit() {
        Request r = hits[cursor++ & (REQUESTS - 1)];
        return table.find(r.host(), r.uri(), LOCAL_PORT);
    }

    @Benchmark
    public Route miss() {
        Request r = misses[cursor++ & (REQUESTS - 1)];
        return table.find(r.host(), r.uri(), LOCAL_PORT);
    }
}
