package io.swarmgate.chaos;

import static io.swarmgate.discovery.testing.TestSwarm.labels;
import static io.swarmgate.discovery.testing.TestSwarm.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.util.internal.PlatformDependent;
import io.swarmgate.api.ServerSettings;
import io.swarmgate.api.SwarmgateServer;
import io.swarmgate.discovery.DiscoverySettings;
import io.swarmgate.discovery.testing.DockerApiFaults;
import io.swarmgate.discovery.testing.TestSwarm;
import io.swarmgate.testing.TestBackend;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults under a steady load, for about 40 seconds: 200 reconfigures per second of other services, a backend killed
 * and started again every few seconds, a backend that stalls, and the Docker API failing and recovering under
 * discovery. Requests to the healthy backend never fail; those to the killed one fail only with 502/503/504 and never
 * hang; the stalled one gets its 504 on time; the labelled service stays routed; and afterwards file descriptors, heap
 * and direct memory are back to what they were before the run.
 */
class ChaosTest {
    private static final Logger log = LoggerFactory.getLogger(ChaosTest.class);
    private static final Duration RUN = Duration.ofSeconds(40);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    private static final int STALL_TIMEOUT_SECONDS = 2;

    @RegisterExtension
    static final TestSwarm swarm = new TestSwarm();

    @RegisterExtension
    final DockerApiFaults dockerApi = new DockerApiFaults();

    private record Outcome(int status, long nanos) {
    }

    @Test
    @Timeout(180)
    void healthyRoutesNeverFailAndNothingLeaks() throws Exception {
        String labelled = uniqueName("chaos");
        swarm.create(labelled, labels("servicePath", "/" + labelled, "port", "8080"));
        TestBackend healthy = TestBackend.start("healthy");
        Killable killable = new Killable();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (SwarmgateServer server = SwarmgateServer.start(ServerSettings.ephemeral().withDiscovery(
                DiscoverySettings.defaults(dockerApi.dockerHost()).withResyncInterval(Duration.ofSeconds(1))),
                Map.of())) {
            Requests requests = new Requests(http, server);
            requests.reconfigure("healthy", "/healthy", healthy.port(), "");
            requests.reconfigure("killable", "/killable", killable.port(), "");
            requests.reconfigure("stalling", "/delay", healthy.port(), "&timeoutServer=" + STALL_TIMEOUT_SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.registry().routes()
                    .find("localhost", "/" + labelled, 80) != null);

            requests.load(Duration.ofSeconds(4), killable); // warm-up: every path, pools and arenas filled
            Resources baseline = Resources.measure();

            Chaos chaos = requests.load(RUN, killable);

            assertThat(chaos.healthyFailures()).as("failed requests to the healthy backend").isEmpty();
            assertThat(chaos.healthy().get()).as("requests to the healthy backend").isGreaterThan(1000);
            assertThat(chaos.killable()).extracting(Outcome::status).as("answers from the killed backend's route")
                    .allMatch(status -> status == 200 || status == 502 || status == 503 || status == 504)
                    .contains(200).containsAnyOf(502, 503);
            assertThat(chaos.killable()).allMatch(o -> o.nanos() < TimeUnit.SECONDS.toNanos(6), "none hangs");
            assertThat(chaos.stalled()).isNotEmpty().allMatch(o -> o.status() == 504
                    && o.nanos() < TimeUnit.MILLISECONDS.toNanos(STALL_TIMEOUT_SECONDS * 1000L + 1500));
            assertThat(chaos.reconfigures().get()).as("reconfigures during the run")
                    .isGreaterThan((int) (RUN.toSeconds() * 150));
            assertThat(chaos.labelledLost()).as("moments the labelled service was not routed").isFalse();

            Resources after = Resources.measure();
            log.info("Chaos run: {} healthy requests, {} to the killed backend, {} reconfigures; before {}, after {}",
                    chaos.healthy(), chaos.killable().size(), chaos.reconfigures(), baseline, after);
            assertThat(after.fileDescriptors()).as("open file descriptors")
                    .isLessThanOrEqualTo(baseline.fileDescriptors() + 20);
            assertThat(after.heapBytes()).as("heap in use").isLessThan(baseline.heapBytes() + (64L << 20));
            assertThat(after.directBytes()).as("direct memory").isLessThanOrEqualTo(baseline.directBytes() + (16L << 20));
        } finally {
            killable.close();
            healthy.close();
        }
    }

    /** The load and the faults, run together for a while. */
    private final class Requests {
        private final HttpClient http;
        private final SwarmgateServer server;

        Requests(HttpClient http, SwarmgateServer server) {
            this.http = http;
            this.server = server;
        }

        void reconfigure(String name, String path, int port, String more) throws Exception {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.apiPort() + "/v1/docker-flow-proxy/reconfigure?serviceName=" + name + "&servicePath="
                    + path + "&port=" + port + "&outboundHostname=127.0.0.1" + more)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }

        Outcome get(String path) {
            long start = System.nanoTime();
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + server.proxyPorts().get(0) + path)).timeout(CLIENT_TIMEOUT).build(),
                        HttpResponse.BodyHandlers.discarding());
                return new Outcome(answer.statusCode(), System.nanoTime() - start);
            } catch (IOException e) {
                return new Outcome(-1, System.nanoTime() - start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(-1, System.nanoTime() - start);
            }
        }

        Chaos load(Duration duration, Killable killable) throws Exception {
            long end = System.nanoTime() + duration.toNanos();
            Chaos chaos = new Chaos();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                threads.add(loop(end, () -> {
                    Outcome outcome = get("/healthy/x");
                    chaos.healthy().incrementAndGet();
                    if (outcome.status() != 200) {
                        chaos.healthyFailures().add(outcome);
                    }
                }));
            }
            threads.add(loop(end, () -> chaos.killable().add(get("/killable/x"))));
            threads.add(loop(end, () -> chaos.stalled().add(get("/delay/60000"))));
            long stormStart = System.nanoTime();
            for (int t = 0; t < 2; t++) { // two senders, so one slow answer does not hold the rate back
                threads.add(loop(end, () -> {
                    int n = chaos.reconfigures().incrementAndGet();
                    try {
                        reconfigure("storm-" + (n % 500), "/storm/" + (n % 500), 9000 + n % 1000, "");
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    // 200 a second: the n-th is due 5 ms after the one before; late ones go at once.
                    long due = stormStart + n * TimeUnit.MILLISECONDS.toNanos(5);
                    LockSupport.parkNanos(due - System.nanoTime());
                }));
            }
            threads.add(loop(end, () -> {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
                killable.kill();
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
                killable.restart();
            }));
            threads.add(loop(end, () -> {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(3));
                dockerApi.inject(DockerApiFaults.Kind.values()[chaos.dockerFaults().getAndIncrement() % 2]);
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(4));
                dockerApi.recover();
            }));
            threads.add(loop(end, () -> {
                if (server.registry().services().stream().noneMatch(s -> s.serviceName().startsWith("sg-chaos"))) {
                    chaos.labelledLost().set(true);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }));
            for (Thread thread : threads) {
                thread.join();
            }
            dockerApi.recover();
            killable.restart();
            return chaos;
        }

        private Thread loop(long end, Runnable step) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < end) {
                    step.run();
                }
            });
            thread.start();
            return thread;
        }
    }

    private record Chaos(AtomicInteger healthy, ConcurrentLinkedQueue<Outcome> healthyFailures,
                         ConcurrentLinkedQueue<Outcome> killable, ConcurrentLinkedQueue<Outcome> stalled,
                         AtomicInteger reconfigures, AtomicInteger dockerFaults, AtomicBoolean labelledLost) {
        Chaos() {
            this(new AtomicInteger(), new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>(),
                    new ConcurrentLinkedQueue<>(), new AtomicInteger(), new AtomicInteger(), new AtomicBoolean());
        }
    }

    /** A backend on a fixed port that dies abruptly and comes back on the same port. */
    private static final class Killable implements AutoCloseable {
        private final int port;
        private volatile TestBackend backend;

        Killable() {
            backend = TestBackend.start("killable");
            port = backend.port();
        }

        int port() {
            return port;
        }

        void kill() {
            backend.kill();
        }

        void restart() {
            backend.close();
            backend = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> TestBackend.start("killable", "127.0.0.1", port), b -> true);
        }

        @Override
        public void close() {
            backend.close();
        }
    }

    /** What the process holds, after a full collection. */
    private record Resources(long fileDescriptors, long heapBytes, long directBytes) {
        static Resources measure() throws IOException {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long fds;
            try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
                fds = open.count();
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(pool -> pool.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed)
                    .sum() + PlatformDependent.usedDirectMemory();
            return new Resources(fds, heap, direct);
        }
    }
}
