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
 * Building the immutable table of 10,000 services from their routes: what every reconfigure pays when the control
 * plane rebuilds the snapshot (the routes themselves are built once, in setup). It bounds the reconfigures per second
 * one writer can publish without coalescing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RouteTableBuildBenchmark {
    @Param({"10000"})
    int services;

    @Param({"PREFIX", "DOMAIN", "MIXED"})
    Shape shape;

    private List<Route> routes;

    @Setup
    public void setUp() {
        routes = RouteFixtures.routes(shape, services);
    }

    @Benchmark
    public RouteTable build() {
        return RouteTable.of(routes);
    }
}
