package io.swarmgate.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.proxy.CompletedExchange;
import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.route.Route;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
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
        Exchange exchange = new Exchange(route);
        for (int i = 0; i < times; i++) {
            exchange.next(i);
            observer.exchangeCompleted(exchange);
        }
    }

    /** A reused view, as the data plane's. */
    private static final class Exchange implements CompletedExchange {
        private static final SocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
        private final Route route;
        private int i;

        Exchange(Route route) {
            this.route = route;
        }

        void next(int index) {
            i = index;
        }

        @Override
        public Route route() {
            return route;
        }

        @Override
        public HttpMethod method() {
            return (i & 1) == 0 ? HttpMethod.GET : HttpMethod.POST;
        }

        @Override
        public String target() {
            return "/demo";
        }

        @Override
        public String protocol() {
            return "HTTP/1.1";
        }

        @Override
        public int status() {
            return 200 + (i & 3) * 100;
        }

        @Override
        public long durationNanos() {
            return 1_000_000L + i;
        }

        @Override
        public SocketAddress client() {
            return CLIENT;
        }

        @Override
        public SocketAddress upstream() {
            return null;
        }

        @Override
        public long receivedBytes() {
            return 80 + (i & 7);
        }

        @Override
        public long sentBytes() {
            return 200 + (i & 15);
        }
    }
}
