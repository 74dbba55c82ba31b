package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.netty.util.ResourceLeakDetector;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the I/O thread allocates per proxied keep-alive request, the garbage that sets how often the collector pauses
 * the data plane: a bound well under the kilobyte it was before buffers were pooled and heads recycled, so a change
 * that brings back allocation per request or per buffer copy fails here. Leak detection is off for the measurement:
 * its records of every buffer are allocations of their own.
 */
class ProxyAllocationTest {
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;
    private static final long MAX_BYTES_PER_REQUEST = 300;

    private ResourceLeakDetector.Level leakDetection;

    @BeforeEach
    void leakDetectionOff() {
        leakDetection = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }

    @AfterEach
    void leakDetectionBack() {
        ResourceLeakDetector.setLevel(leakDetection);
    }

    @Test
    void aKeepAliveRequestAllocatesLittleOnTheIoThread() throws IOException {
        try (TestBackend backend = TestBackend.start("b");
             ProxyServer proxy = ProxyServer.builder().http(0).bindAddress("127.0.0.1").ioThreads(1)
                     .routes(RouteTable.of(List.of(Route.builder("b").path("/").backend("127.0.0.1", backend.port())
                             .build())))
                     .build().start();
             RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            String request = "GET /small HTTP/1.1\r\nHost: a.test\r\nUser-Agent: allocation-test\r\n\r\n";
            send(client, request, WARM_UP);
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long ioThread = ioThread();
            long before = threads.getThreadAllocatedBytes(ioThread);
            send(client, request, MEASURED);
            long perRequest = (threads.getThreadAllocatedBytes(ioThread) - before) / MEASURED;

            assertThat(perRequest).as("bytes the I/O thread allocates per request").isLessThan(MAX_BYTES_PER_REQUEST);
        }
    }

    private static void send(RawHttpConnection client, String request, int times) throws IOException {
        for (int i = 0; i < times; i++) {
            assertThat(client.exchange(request).status()).isEqualTo(200);
        }
    }

    private static long ioThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("swarmgate-io"))
                .mapToLong(Thread::getId)
                .findFirst().orElseThrow();
    }
}
