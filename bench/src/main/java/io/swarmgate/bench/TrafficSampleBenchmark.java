package io.swarmgate.bench;

import io.swarmgate.api.metrics.SwarmgateMetrics;
import io.swarmgate.api.metrics.TrafficHistory;
import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.testing.ReusedExchange;
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
 * The dashboard's once-a-second traffic sample with {@code services} services that have had traffic: what the thread
 * that takes it is busy for each second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TrafficSampleBenchmark {
    @Param({"100", "1000", "10000"})
    public int services;

    private TrafficHistory traffic;
    private long now;

    @Setup
    public void setUp() {
        SwarmgateMetrics metrics = new SwarmgateMetrics();
        ProxyObserver observer = metrics.proxyObserver();
        for (int i = 0; i < services; i++) {
            String name = "svc-" + i;
            observer.exchangeCompleted(new ReusedExchange(Route.builder(name).path("/" + name)
                    .backend(name, 8080).build()).next());
        }
        traffic = metrics.traffic();
    }

    @Benchmark
    public void sample() {
        now += 1000;
        traffic.sample(now);
    }
}
