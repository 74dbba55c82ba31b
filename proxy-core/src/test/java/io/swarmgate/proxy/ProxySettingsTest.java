package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.proxy.ProxySettings.Listener;
import io.swarmgate.proxy.acme.AcmeChallenges;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.proxy.upstream.TaskAddresses;
import io.swarmgate.testing.ConnectionCounter;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {

    @Test
    void changingTheBuilderAfterBuildChangesNothingInTheBuiltServer() throws Exception {
        try (TestBackend first = TestBackend.start("first");
             TestBackend second = TestBackend.start("second")) {
            Settings original = new Settings(first, "a.test", 1);
            ProxyServer.Builder builder = original.apply(ProxyServer.builder().http(0).https(0));
            ProxyServer built = builder.build();

            Settings changed = new Settings(second, "b.test", 2);
            changed.apply(builder.http(0, true).https(0, true));

            assertThat(built.settings()).isEqualTo(original.expected(List.of(new Listener(0, false)),
                    List.of(new Listener(0, false))));
            try (ProxyServer server = built.start()) {
                assertThat(server.ports()).hasSize(1);
                assertThat(server.httpsPorts()).hasSize(1);
                assertThat(server.routes()).isSameAs(original.routes);
                assertThat(server.certificates()).isSameAs(original.certificates);
                assertThat(server.timeouts()).isEqualTo(original.timeouts);
                assertThat(RawHttpConnection.get(server.port(), "a", "/").header("X-Backend")).isEqualTo("first");
                await().until(() -> original.observer.closed() == 1);
                assertThat(changed.observer.opened()).isZero();
            }
        }
    }

    @Test
    void oneBuilderBuildsTwoIndependentServers() throws Exception {
        try (TestBackend first = TestBackend.start("first");
             TestBackend second = TestBackend.start("second")) {
            Settings original = new Settings(first, "a.test", 1);
            ProxyServer.Builder builder = original.apply(ProxyServer.builder().http(0));
            ProxyServer one = builder.build();
            Settings changed = new Settings(second, "b.test", 2);
            ProxyServer two = changed.apply(builder.http(0, true)).build();

            assertThat(one.settings()).isEqualTo(original.expected(List.of(new Listener(0, false)), List.of()));
            assertThat(two.settings()).isEqualTo(changed.expected(List.of(new Listener(0, false),
                    new Listener(0, true)), List.of()));
            try (ProxyServer a = one.start(); ProxyServer b = two.start()) {
                assertThat(RawHttpConnection.get(a.port(), "a", "/").header("X-Backend")).isEqualTo("first");
                assertThat(RawHttpConnection.get(b.port(), "a", "/").header("X-Backend")).isEqualTo("second");
                await().until(() -> original.observer.closed() == 1 && changed.observer.closed() == 1);
                assertThat(original.observer.opened()).isEqualTo(1);
                assertThat(changed.observer.opened()).isEqualTo(1);
            }
        }
    }

    @Test
    void serversOfOneBuilderAnswerTheirOwnAcmeChallengesByDefault() {
        ProxyServer.Builder builder = ProxyServer.builder().http(0);

        assertThat(builder.build().settings().acmeChallenges())
                .isNotSameAs(builder.build().settings().acmeChallenges());
    }

    /** A source of its own for each server (a lambda that captures nothing would be one object for both). */
    private static final class NoTasks implements TaskAddresses {
        @Override
        public Optional<List<InetAddress>> running(String service) {
            return Optional.empty();
        }
    }

    /** A value for every setting of the builder, each differing with {@code n}. */
    private static final class Settings {
        final RouteTable routes;
        final CertificateStore certificates;
        final Timeouts timeouts;
        final ConnectionCounter observer = new ConnectionCounter();
        final TaskAddresses taskAddresses = new NoTasks();
        final ErrorPages errorPages;
        final AcmeChallenges challenges = new AcmeChallenges();
        final TrustedProxies trustedProxies = TrustedProxies.parse("10.0.0.0/8");
        final int n;

        Settings(TestBackend backend, String host, int n) throws Exception {
            this.n = n;
            routes = RouteTable.of(List.of(Route.builder(backend.name()).path("/")
                    .backend("127.0.0.1", backend.port()).build()));
            certificates = CertificateStore.of(List.of(ServerCertificate.parse(host, TestCertificates.pem(host))));
            timeouts = Timeouts.DEFAULTS.withServer(Duration.ofSeconds(n));
            errorPages = ErrorPages.of(Map.of(503, "<p>" + n + "</p>"));
        }

        ProxyServer.Builder apply(ProxyServer.Builder builder) {
            return builder.bindAddress("127.0.0.1").certificates(certificates).timeouts(timeouts).routes(routes)
                    .ioThreads(n).transport(n == 1 ? SocketTransport.EPOLL : SocketTransport.NIO).shutdownGrace(Duration.ofMillis(n))
                    .observer(observer).taskRefresh(Duration.ofSeconds(n)).taskAddresses(taskAddresses)
                    .maxConnections(n * 10).retryBufferBytes(n * 100).errorPages(errorPages)
                    .nameServer(new InetSocketAddress("127.0.0.1", 5300 + n)).h2c(n == 2).acmeChallenges(challenges)
                    .http3(n == 1).trustedProxies(trustedProxies);
        }

        ProxySettings expected(List<Listener> http, List<Listener> https) {
            return new ProxySettings(http, https, certificates, "127.0.0.1", timeouts, routes, n,
                    n == 1 ? SocketTransport.EPOLL : SocketTransport.NIO,
                    Duration.ofMillis(n), observer, Duration.ofSeconds(n), taskAddresses, n * 10, n * 100,
                    errorPages, new InetSocketAddress("127.0.0.1", 5300 + n), n == 2, challenges, n == 1,
                    trustedProxies);
        }
    }
}
