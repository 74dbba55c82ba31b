package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.config.GlobalRules;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.testing.LogCapture;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.Queries;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TcpEchoServer;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestDnsServer;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every 502 and 503 the proxy gives itself says why in the log, rate-limited, and in the access log's field. */
class FailureLogTest {
    @RegisterExtension
    final ProxyExtension proxyExtension = ProxyExtension.builder().autoStart(false).build();
    private final LogCapture lines = LogCapture.of("io.swarmgate.proxy.internal.FailureLog");
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final ProxyObserver recorder = new ProxyObserver() {
        @Override
        public void exchangeCompleted(CompletedExchange exchange) {
            failures.add(exchange.status() + " " + exchange.failure());
        }
    };

    @AfterEach
    void release() {
        lines.close();
    }

    @Test
    void namesTheHostAndPathNoRouteMatches() throws Exception {
        try (ProxyServer proxy = proxy(List.of())) {
            assertThat(RawHttpConnection.get(proxy.port(), "shop.example", "/nowhere").status()).isEqualTo(503);
            awaitLine("503 for a request: no route matches Host shop.example, path /nowhere on port " + proxy.port());
            await().until(() -> failures.contains("503 NO_ROUTE"));
        }
    }

    @Test
    void namesARefusedBackendAndItsAddress() throws Exception {
        int dead = TcpEchoServer.freePort();
        try (ProxyServer proxy = proxy(List.of(
                Route.builder("dead").path("/").backend("127.0.0.1", dead).build()))) {
            assertThat(RawHttpConnection.get(proxy.port(), "a", "/").status()).isEqualTo(503);
            awaitLine("503 for service dead: connection refused; backend 127.0.0.1:" + dead);
            await().until(() -> failures.contains("503 REFUSED"));
        }
    }

    @Test
    void namesANameThatDidNotResolve() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
             ProxyServer proxy = proxyExtension.start(ProxyServer.builder().observer(recorder)
                     .nameServer(dns.address()).routes(RouteTable.of(List.of(
                             Route.builder("ghost").path("/").backend("ghost", 8080).build()))))) {
            assertThat(RawHttpConnection.get(proxy.port(), "a", "/").status()).isEqualTo(503);
            awaitLine("503 for service ghost: the name did not resolve; backend ghost:8080");
            await().until(() -> failures.contains("503 UNRESOLVED"));
        }
    }

    @Test
    void tellsAServiceWithoutTasksFromOneWhoseTasksAreAllEjected() throws Exception {
        try (TestDnsServer dns = TestDnsServer.start();
             TestBackend live = TestBackend.start("live", "127.0.0.1", 0)) {
            dns.set("tasks.web", "127.0.0.9"); // nothing listens there
            try (ProxyServer proxy = proxyExtension.start(ProxyServer.builder().observer(recorder)
                    .nameServer(dns.address()).routes(RouteTable.of(List.of(
                            Route.builder("web").path("/web").backend(Backend.tasks("web", live.port())).build(),
                            Route.builder("none").path("/none").backend(Backend.tasks("none", 80)).build()))))) {
                assertThat(RawHttpConnection.get(proxy.port(), "a", "/web").status()).isEqualTo(503);
                awaitLine("503 for service web: all tasks are ejected after failing; backend tasks.web:" + live.port());
                assertThat(RawHttpConnection.get(proxy.port(), "a", "/none").status()).isEqualTo(503);
                awaitLine("503 for service none: the service has no running task; backend tasks.none:80");
                await().until(() -> failures.containsAll(List.of("503 TASKS_EJECTED", "503 NO_TASK")));
            }
        }
    }

    @Test
    void namesAnInvalidAnswerAsABadGateway() throws Exception {
        try (TestBackend backend = TestBackend.start("b");
             ProxyServer proxy = proxy(List.of(
                     Route.builder("broken").path("/garbage").backend("127.0.0.1", backend.port()).build()))) {
            assertThat(RawHttpConnection.get(proxy.port(), "a", "/garbage").status()).isEqualTo(502);
            awaitLine("502 for service broken: the backend's answer was invalid; backend 127.0.0.1:" + backend.port());
            await().until(() -> failures.contains("502 BAD_RESPONSE"));
        }
    }

    @Test
    void writesOneLinePerReasonAndSecondAndCountsTheRest() throws Exception {
        int dead = TcpEchoServer.freePort();
        try (ProxyServer proxy = proxy(List.of(
                Route.builder("dead").path("/").backend("127.0.0.1", dead).build()))) {
            long start = System.nanoTime();
            int requests = 50;
            for (int i = 0; i < requests; i++) {
                assertThat(RawHttpConnection.get(proxy.port(), "a", "/").status()).isEqualTo(503);
            }
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertThat(messages()).hasSizeLessThanOrEqualTo((int) seconds + 1);

            // Once the interval is over, the next failure is logged with the count of those left out.
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                RawHttpConnection.get(proxy.port(), "a", "/");
                return messages().stream().anyMatch(line -> line.contains(
                        " more for this reason since the last such line, not logged)"));
            });
        }
    }

    @Test
    void theTcpRelayNamesARefusedBackend() throws Exception {
        int srcPort = TcpEchoServer.freePort();
        int dead = TcpEchoServer.freePort();
        try (ProxyServer proxy = proxy(List.of())) {
            new ServiceRegistry(proxy::routes, proxy::streams, GlobalRules.NONE).apply(Queries.service(
                    "serviceName=redis&reqMode=tcp&srcPort=" + srcPort + "&port=" + dead
                            + "&outboundHostname=127.0.0.1"));
            try (Socket client = new Socket("127.0.0.1", srcPort)) {
                client.setSoTimeout(5_000);
                assertThat(client.getInputStream().read()).as("closed").isEqualTo(-1);
            }
            awaitLine("TCP connection on port " + srcPort + " closed for service redis: connection refused; "
                    + "backend 127.0.0.1:" + dead);
        }
    }

    @Test
    void theTcpRelayNamesANameThatDidNotResolve() throws Exception {
        int srcPort = TcpEchoServer.freePort();
        try (TestDnsServer dns = TestDnsServer.start();
             ProxyServer proxy = proxyExtension.start(ProxyServer.builder()
                     .nameServer(dns.address()))) {
            new ServiceRegistry(proxy::routes, proxy::streams, GlobalRules.NONE).apply(Queries.service(
                    "serviceName=redis&reqMode=tcp&srcPort=" + srcPort + "&port=6379&outboundHostname=ghost"));
            try (Socket client = new Socket("127.0.0.1", srcPort)) {
                client.setSoTimeout(5_000);
                assertThat(client.getInputStream().read()).as("closed").isEqualTo(-1);
            }
            awaitLine("TCP connection on port " + srcPort + " closed for service redis: the name did not resolve; "
                    + "backend ghost:6379");
        }
    }

    private ProxyServer proxy(List<Route> routes) {
        return proxyExtension.start(ProxyServer.builder().observer(recorder)
                .routes(RouteTable.of(routes)));
    }

    private void awaitLine(String expected) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(messages()).contains(expected));
    }

    private List<String> messages() {
        return lines.messages();
    }
}
