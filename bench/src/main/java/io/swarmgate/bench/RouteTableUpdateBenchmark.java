package io.swarmgate.bench;

import io.swarmgate.bench.RouteFixtures.Shape;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import java.util.List;
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
 * One service changed in a table of 10,000: {@link RouteTable#replace} swaps one service's route for a variant (its
 * path prefixes or host moved), which is what a reconfigure of an existing service costs when the table is updated in
 * place of rebuilt. Each operation changes the next service, flipping it between its two variants, so the table keeps
 * its size and shape. Compare with {@link RouteTableBuildBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RouteTableUpdateBenchmark {
    @Param({"10000"})
    int services;

    @Param({"PREFIX", "DOMAIN", "MIXED"})
    Shape shape;

    private RouteTable table;
    private Route[] current;
    private Route[] other;
    private int cursor;

    @Setup
    public void setUp() {
        List<Route> routes = RouteFixtures.routes(shape, services);
        table = RouteTable.of(routes);
        current = routes.toArray(new Route[0]);
        other = new Route[services];
        for (int i = 0; i < services; i++) {
            other[i] = RouteFixtures.variant(current[i]);
        }
    }

    @Benchmark
    public RouteTable replaceOne() {
        int i = cursor;
        cursor = i + 1 == services ? 0 : i + 1;
        Route before = current[i];
        Route after = other[i];
        table = table.replace(List.of(before), List.of(after));
        current[i] = after;
        other[i] = before;
        return table;
    }
}
