package io.swarmgate.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.testing.ReusedExchange;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Recording an exchange (counts, duration, bytes) costs no allocation once its service's meters exist: it runs on the
 * I/O thread per request.
 */
class ExchangeMetricsAllocationTest {

    @Test
    void recordingAnExchangeAllocatesNothing() {
        ProxyObserver observer = new SwarmgateMetrics().proxyObserver();
        Route route = Route.builder("go-demo").path("/demo").backend("go-demo", 8080).build();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();

        record(observer, route, 200_000); // meters created, code compiled
        long before = threads.getThreadAllocatedBytes(thread);
        record(observer, route, 1_000_000);
        long perCall = (threads.getThreadAllocatedBytes(thread) - before) / 1_000_000;

        assertThat(perCall).as("bytes allocated per recorded exchange").isZero();
    }

    private static void record(ProxyObserver observer, Route route, int times) {
        ReusedExchange exchange = new ReusedExchange(route);
        for (int i = 0; i < times; i++) {
            observer.exchangeCompleted(exchange.next());
        }
    }
}
