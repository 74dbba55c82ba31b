package io.swarmgate.bench;

import com.sun.management.ThreadMXBean;
import io.swarmgate.proxy.ProxyServer;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.testing.TestBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a new connection per request costs the proxy: one request with {@code Connection: close} over a new loopback
 * connection, through a real {@link ProxyServer} (one I/O thread) to an in-process backend it keeps a connection to.
 * {@code proxyBytes / connections} is what the proxy's I/O thread allocated per connection (its set-up, the request,
 * the teardown), read from the thread's allocation counter, so neither the blocking client nor the backend blurs it;
 * {@code -prof gc}'s figure counts every thread. Leak detection is off, as {@code Main} runs the server.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class NewConnectionBenchmark {
    private static final byte[] REQUEST = ("GET /demo/small HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private TestBackend backend;
    private ProxyServer proxy;
    private InetSocketAddress address;
    private final byte[] answer = new byte[4096];

    /** The connections made and what the proxy's I/O thread allocated meanwhile, summed over the iterations. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class ProxyAllocation {
        private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        public long connections;
        public long proxyBytes;
        private long before;

        @Setup(Level.Iteration)
        public void start() {
            connections = 0;
            before = ioThreadBytes();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            proxyBytes = ioThreadBytes() - before;
        }

        private static long ioThreadBytes() {
            long bytes = 0;
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith("swarmgate-io")) {
                    bytes += THREADS.getThreadAllocatedBytes(thread.getId());
                }
            }
            return bytes;
        }
    }

    @Setup
    public void setUp() {
        backend = TestBackend.start("demo");
        proxy = ProxyServer.builder().http(0).ioThreads(1).build().start();
        proxy.routes(RouteTable.of(List.of(
                Route.builder("demo").path("/demo").backend("127.0.0.1", backend.port()).build())));
        address = new InetSocketAddress("127.0.0.1", proxy.port());
    }

    @TearDown
    public void tearDown() {
        proxy.stop();
        backend.close();
    }

    /** One request on a connection of its own; returns the answer's length. */
    @Benchmark
    public int requestOnNewConnection(ProxyAllocation allocation) throws IOException {
        int length = 0;
        try (Socket socket = new Socket()) {
            socket.connect(address);
            OutputStream out = socket.getOutputStream();
            out.write(REQUEST);
            InputStream in = socket.getInputStream();
            for (int read; (read = in.read(answer)) >= 0; ) {
                length += read;
            }
        }
        allocation.connections++;
        return length;
    }
}
