package io.swarmgate.config;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.ProxyObserver.MirrorDrop;
import io.swarmgate.proxy.Timeouts;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import io.swarmgate.testing.TestBackend;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code mirrorService} through real sockets: copies reach the mirror, in the share asked for, while every real
 * request is answered by its own backend on time, whether the mirror answers, hangs or refuses; what is not mirrored
 * is counted by reason.
 */
class MirrorTest {
    /** How long a copy may go unanswered: the server timeout. A request that waited on its copy would take as long. */
    private static final Duration MIRROR_DEADLINE = Duration.ofSeconds(4);
    private static final Map<MirrorDrop, AtomicInteger> drops = new ConcurrentHashMap<>();
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("main").backend("mirror")
            .backend("stuck")
            .settings(builder -> builder.timeouts(Timeouts.DEFAULTS.withServer(MIRROR_DEADLINE))
                    .observer(new ProxyObserver() {
                        @Override
                        public void mirrorDropped(Route route, MirrorDrop reason) {
                            drops.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
                        }
                    }))
            .build();
    private static final ServiceRegistry registry = new ServiceRegistry(proxy::routes);

    @BeforeEach
    void clearDrops() {
        drops.clear();
    }

    private static int dropped(MirrorDrop reason) {
        AtomicInteger count = drops.get(reason);
        return count == null ? 0 : count.get();
    }

    private static void configure(String parameters) {
        registry.apply(ReconfigureParameters.defaults().parse(query("serviceName=shop&servicePath=/upload"
                + "&outboundHostname=127.0.0.1&port=" + proxy.backend("main").port() + "&" + parameters)));
    }

    private static Response post(RawHttpConnection connection, String body) throws IOException {
        return connection.exchange("POST /upload HTTP/1.1\r\nHost: shop.test\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body);
    }

    /**
     * Sends {@code count} requests on one connection, each answered by the main backend well before a copy's deadline
     * (the margin is for a machine under load).
     */
    private static void sendOnTime(int count, String body) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                Response answer = post(connection, body);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.header("X-Backend")).isEqualTo("main");
                assertThat(answer.bodyText()).isEqualTo("received " + body.length());
                assertThat(millis).as("request %d's time", i).isLessThan(MIRROR_DEADLINE.toMillis() / 2);
            }
        }
    }

    @Test
    void everyRequestIsCopiedWithItsBodyAndServedAsBefore() throws IOException {
        TestBackend mirror = proxy.backend("mirror");
        int before = mirror.requests();
        configure("mirrorService=127.0.0.1:" + mirror.port());

        sendOnTime(50, "order=42");

        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(500))
                .until(() -> mirror.openConnections() == 0);
        assertThat(drops).isEmpty();
        assertThat(mirror.requests() - before).isEqualTo(50);
    }

    @Test
    void aShareOfTheRequestsIsCopied() throws IOException {
        TestBackend mirror = proxy.backend("mirror");
        int before = mirror.requests();
        configure("mirrorService=127.0.0.1:" + mirror.port() + "&mirrorPercent=20");

        sendOnTime(2000, "x");

        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(500))
                .until(() -> mirror.openConnections() == 0);
        assertThat((mirror.requests() - before) / 20.0).as("percent copied").isBetween(17.0, 23.0);
    }

    @Test
    void aMirrorThatHangsNeitherSlowsNorFailsTheRequestsAndCostsBoundedConnections() throws IOException {
        TestBackend stuck = proxy.backend("stuck");
        stuck.hang();
        configure("mirrorService=127.0.0.1:" + stuck.port());

        sendOnTime(300, "order=42");

        assertThat(stuck.openConnections()).as("copies in flight, at most 64 per event loop")
                .isLessThanOrEqualTo(64 * Runtime.getRuntime().availableProcessors());
        assertThat(dropped(MirrorDrop.BUSY)).isGreaterThanOrEqualTo(300 - 64 * Runtime.getRuntime()
                .availableProcessors());
        await().atMost(Duration.ofSeconds(15)).until(() -> stuck.openConnections() == 0);
        assertThat(dropped(MirrorDrop.FAILED)).as("timed out").isPositive();
    }

    @Test
    void aMirrorThatRefusesOrFailsIsCountedWhileTheRequestsSucceed() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        configure("mirrorService=127.0.0.1:" + closedPort);
        sendOnTime(20, "order=42");
        await().atMost(Duration.ofSeconds(10)).until(() -> dropped(MirrorDrop.FAILED) == 20);

        TestBackend mirror = proxy.backend("mirror");
        mirror.answerWith(500);
        int before = mirror.requests();
        try {
            configure("mirrorService=127.0.0.1:" + mirror.port());
            sendOnTime(20, "order=42");
            await().atMost(Duration.ofSeconds(10)).until(() -> mirror.requests() - before == 20);
            await().atMost(Duration.ofSeconds(10)).until(() -> mirror.openConnections() == 0);
        } finally {
            mirror.answerWith(0);
        }
    }

    @Test
    void aBodyLargerThanTheCopysBoundIsNotMirroredButServed() throws IOException {
        TestBackend mirror = proxy.backend("mirror");
        configure("mirrorService=127.0.0.1:" + mirror.port());
        int before = mirror.requests();

        String body = "x".repeat(64 * 1024 + 1);
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            for (int i = 0; i < 3; i++) {
                assertThat(post(connection, body).bodyText()).isEqualTo("received " + body.length());
            }
        }

        assertThat(dropped(MirrorDrop.BODY_TOO_LARGE)).isEqualTo(3);
        assertThat(mirror.requests()).isEqualTo(before);
    }
}
