package io.swarmgate.bench;

import io.swarmgate.api.metrics.SwarmgateMetrics;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the data plane pays per request to report it: one {@link ProxyObserver#exchangeCompleted} into the
 * Prometheus metrics (request count by service, code and method, duration histogram, bytes in and out). Run it with
 * {@code -prof gc}: {@code gc.alloc.rate.norm} must be 0 B/op, as config-api's allocation test also requires.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ExchangeRecordingBenchmark {
    private ReusedExchange exchange;
    private ProxyObserver observer;

    @Setup
    public void setUp() {
        observer = new SwarmgateMetrics().proxyObserver();
        exchange = new ReusedExchange(Route.builder("go-demo").path("/demo").backend("go-demo", 8080).build());
    }

    @Benchmark
    public void recordExchange() {
        observer.exchangeCompleted(exchange.next());
    }
}
