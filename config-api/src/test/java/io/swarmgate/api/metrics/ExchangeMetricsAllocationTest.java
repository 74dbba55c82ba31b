package io.swarmgate.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.route.Route;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Recording an exchange costs no allocation once its service's meters exist: it runs on the I/O thread per request. */
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
        for (int i = 0; i < times; i++) {
            observer.exchangeCompleted(route, (i & 1) == 0 ? HttpMethod.GET : HttpMethod.POST, 200 + (i & 3) * 100,
                    1_000_000L + i);
        }
    }
}
