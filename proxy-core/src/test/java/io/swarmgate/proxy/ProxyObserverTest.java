package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.config.GlobalRules;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tcp.StreamRoute;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.testing.ConnectionCounter;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.Queries;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TcpEchoServer;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestDnsServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProxyObserverTest {
    @RegisterExtension
    final ProxyExtension proxyExtension = ProxyExtension.builder().autoStart(false).build();
    private record Exchange(String service, String method, int status, long durationNanos) {
    }

    private static final class Recorder extends ConnectionCounter {
        final ConcurrentLinkedQueue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> retries = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> ejections = new ConcurrentLinkedQueue<>();

        @Override
        public void requestRetried(Route route) {
            retries.add(route.serviceName());
        }

        @Override
        public void taskEjected(Route route, InetSocketAddress task) {
            ejections.add(route.serviceName() + " " + task.getAddress().getHostAddress());
        }

        @Override
        public void taskEjected(StreamRoute route, InetSocketAddress task) {
            ejections.add(route.serviceName() + " " + task.getAddress().getHostAddress() + " (tcp)");
        }

        @Override
        public void exchangeCompleted(Route route, HttpMethod method, int status, long durationNanos) {
            exchanges.add(new Exchange(route == null ? null : route.serviceName(), method.name(), status, durationNanos));
        }
    }

    @Test
    void reportsEveryExchangeWithItsRouteStatusAndDurationAndEveryConnection() throws Exception {
        Recorder recorder = new Recorder();
        try (TestBackend backend = TestBackend.start("b");
             ProxyServer proxy = proxyExtension.start(ProxyServer.builder().observer(recorder)
                     .routes(RouteTable.of(List.of(
                             Route.builder("echo").path("/demo").backend("127.0.0.1", backend.port()).build(),
                             Route.builder("broken").path("/garbage").backend("127.0.0.1", backend.port())
                                     .build()))))) {
            try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
                connection.exchange("GET /demo/a HTTP/1.1\r\nHost: a\r\n\r\n");
                connection.exchange("POST /demo/b HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi");
                connection.exchange("GET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n");
            }
            RawHttpConnection.get(proxy.port(), "a", "/garbage");

            await().until(() -> recorder.closed() == 2);
            assertThat(recorder.opened()).isEqualTo(2);
            assertThat(recorder.exchanges)
                    .extracting(Exchange::service, Exchange::method, Exchange::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("echo", "GET", 200),
                            org.assertj.core.groups.Tuple.tuple("echo", "POST", 200),
                            org.assertj.core.groups.Tuple.tuple(null, "GET", 503),
                            org.assertj.core.groups.Tuple.tuple("broken", "GET", 502));
            assertThat(recorder.exchanges).allSatisfy(e -> assertThat(e.durationNanos()).isPositive());
        }
    }

    @Test
    void reportsAPathAnotherRouteTakesOnceDecodedAsAnsweredByNoRouteAsAnyAmbiguousPath() throws Exception {
        Recorder recorder = new Recorder();
        try (TestBackend backend = TestBackend.start("b");
             ProxyServer proxy = proxyExtension.start(ProxyServer.builder().observer(recorder)
                     .routes(RouteTable.of(List.of(
                             Route.builder("site").path("/site").backend("127.0.0.1", backend.port()).build(),
                             Route.builder("admin").path("/site/admin").backend("127.0.0.1", backend.port())
                                     .build()))))) {
            try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
                connection.exchange("GET /site/..%2Fx HTTP/1.1\r\nHost: a\r\n\r\n");
                connection.exchange("GET /site\\admin HTTP/1.1\r\nHost: a\r\n\r\n");
            }

            await().until(() -> recorder.exchanges.size() == 2);
            assertThat(recorder.exchanges)
                    .extracting(Exchange::service, Exchange::status)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(null, 400),
                            org.assertj.core.groups.Tuple.tuple(null, 400));
        }
    }

    @Test
    void reportsTheEjectionOfADeadTaskAndTheRetryElsewhere() throws Exception {
        Recorder recorder = new Recorder();
        try (TestDnsServer dns = TestDnsServer.start();
             TestBackend live = TestBackend.start("live", "127.0.0.1", 0)) {
            dns.set("tasks.web", "127.0.0.1", "127.0.0.9");
            try (ProxyServer proxy = proxyExtension.start(ProxyServer.builder().observer(recorder)
                    .nameServer(dns.address())
                    .routes(RouteTable.of(List.of(
                            Route.builder("web").path("/").backend(Backend.tasks("web", live.port())).build()))))) {
                assertThat(RawHttpConnection.get(proxy.port(), "a", "/").status()).isEqualTo(200);
                assertThat(RawHttpConnection.get(proxy.port(), "a", "/").status()).isEqualTo(200);
            }
        }
        assertThat(recorder.ejections).containsExactly("web 127.0.0.9");
        assertThat(recorder.retries).containsExactly("web");
    }

    @Test
    void reportsTheEjectionOfATaskThatRefusesATcpRelay() throws Exception {
        Recorder recorder = new Recorder();
        int srcPort = TcpEchoServer.freePort();
        try (TestDnsServer dns = TestDnsServer.start();
             TcpEchoServer live = TcpEchoServer.start();
             ProxyServer proxy = proxyExtension.start(ProxyServer.builder().observer(recorder)
                     .nameServer(dns.address()))) {
            dns.set("tasks.redis", "127.0.0.1", "127.0.0.9"); // nothing listens on .9
            new ServiceRegistry(proxy::routes, proxy::streams, GlobalRules.NONE).apply(Queries.service(
                    "serviceName=redis&reqMode=tcp&srcPort=" + srcPort + "&port=" + live.port()
                            + "&discoveryType=DNS"));

            // Each connection goes to a task; the one that refuses is ejected and the connection relayed by the other.
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                assertThat(echoThrough(srcPort, "PING")).isEqualTo("PING");
                return !recorder.ejections.isEmpty();
            });
        }
        assertThat(recorder.ejections).containsExactly("redis 127.0.0.9 (tcp)");
    }

    private static String echoThrough(int port, String text) throws Exception {
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.setSoTimeout(5_000);
            client.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            return new String(client.getInputStream().readNBytes(text.length()), StandardCharsets.US_ASCII);
        }
    }
}
