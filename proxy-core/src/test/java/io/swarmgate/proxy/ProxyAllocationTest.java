package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.ResourceLeakDetector;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.testing.Http2FrameClient;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the I/O thread allocates per proxied keep-alive request, the garbage that sets how often the collector pauses
 * the data plane: a bound well under the kilobyte it was before buffers were pooled and heads recycled, so a change
 * that brings back allocation per request or per buffer copy fails here. Leak detection is off for the measurement:
 * its records of every buffer are allocations of their own. A new connection per request is bounded too: what its
 * set-up and teardown allocate is most of what such traffic costs the collector.
 */
class ProxyAllocationTest {
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 20_000;
    private static final long MAX_BYTES_PER_REQUEST = 300;
    private static final int WARM_UP_STREAMS = 20_000;
    private static final int MEASURED_STREAMS = 10_000;
    /**
     * About 3 KB are measured, most of it Netty's: the stream, its flow-control states, header lists and promises. The
     * bound leaves room for noise, not for a copy of the body or a String for every field.
     */
    private static final long MAX_BYTES_PER_STREAM = 3_500;

    private static final int WARM_UP_CONNECTIONS = 10_000;
    private static final int MEASURED_CONNECTIONS = 5_000;
    /**
     * About 2.8 KB are measured, most of it Netty's: the channel, its pipeline, configuration, addresses and promises.
     * It was 3.3 KB while each connection had an exchange of its own (now lent by the event loop for a request), and
     * 3.8 KB while it also had its own head scratch (line ends, field table, target and host text), a handler that
     * counted its bytes, and a table of channel attributes made to read none: the bound catches such per-connection
     * state coming back.
     */
    private static final long MAX_BYTES_PER_CONNECTION = 3_100;

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
    void aKeepAliveRequestAllocatesLittleOnTheIoThread() throws Exception {
        try (TestBackend backend = TestBackend.start("b");
             ProxyServer proxy = start(ProxyServer.builder().http(0), backend);
             RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
            String request = "GET /small HTTP/1.1\r\nHost: a.test\r\nUser-Agent: allocation-test\r\n\r\n";
            long perRequest = ioThreadBytesPerCall(WARM_UP, MEASURED,
                    () -> assertThat(client.exchange(request).status()).isEqualTo(200));

            assertThat(perRequest).as("bytes the I/O thread allocates per request").isLessThan(MAX_BYTES_PER_REQUEST);
        }
    }

    @Test
    void aNewConnectionPerRequestAllocatesLittleOnTheIoThread() throws Exception {
        try (TestBackend backend = TestBackend.start("b");
             ProxyServer proxy = start(ProxyServer.builder().http(0), backend)) {
            String request = "GET /small HTTP/1.1\r\nHost: a.test\r\nConnection: close\r\n\r\n";
            long perConnection = ioThreadBytesPerCall(WARM_UP_CONNECTIONS, MEASURED_CONNECTIONS, () -> {
                try (RawHttpConnection client = RawHttpConnection.open(proxy.port())) {
                    assertThat(client.exchange(request).status()).isEqualTo(200);
                    assertThat(client.isClosedByPeer()).isTrue();
                }
            });

            assertThat(perConnection).as("bytes the I/O thread allocates per connection")
                    .isLessThan(MAX_BYTES_PER_CONNECTION);
        }
    }

    @Test
    void anHttp2StreamAllocatesABoundedAmountOnTheIoThread() throws Exception {
        try (TestBackend backend = TestBackend.start("b");
             ProxyServer proxy = start(ProxyServer.builder().https(0), backend);
             Http2FrameClient client = new Http2FrameClient(proxy.httpsPorts().get(0))) {
            Http2Headers request = new DefaultHttp2Headers().method("GET").scheme("https").authority("a.test")
                    .path("/small").add("user-agent", "allocation-test");
            long perStream = ioThreadBytesPerCall(WARM_UP_STREAMS, MEASURED_STREAMS,
                    () -> assertThat(client.exchange(request, null).headers().get(0).status()).hasToString("200"));

            assertThat(perStream).as("bytes the I/O thread allocates per stream").isLessThan(MAX_BYTES_PER_STREAM);
        }
    }

    private static ProxyServer start(ProxyServer.Builder builder, TestBackend backend) {
        return builder.bindAddress("127.0.0.1").ioThreads(1)
                .routes(RouteTable.of(List.of(Route.builder("b").path("/").backend("127.0.0.1", backend.port())
                        .build())))
                .build().start();
    }

    /** Makes the call {@code warmUp} times, then returns what the I/O thread allocates per call over {@code measured}. */
    private static long ioThreadBytesPerCall(int warmUp, int measured, Call call) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            call.run();
        }
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long ioThread = ioThread();
        long before = threads.getThreadAllocatedBytes(ioThread);
        for (int i = 0; i < measured; i++) {
            call.run();
        }
        return (threads.getThreadAllocatedBytes(ioThread) - before) / measured;
    }

    private interface Call {
        void run() throws Exception;
    }

    private static long ioThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("swarmgate-io"))
                .mapToLong(Thread::getId)
                .findFirst().orElseThrow();
    }
}
