package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.proxy.upstream.TaskAddresses;
import io.swarmgate.testing.LoopbackTasks;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.TestDnsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A service balanced over its tasks with a {@link TaskAddresses} source installed: the source's addresses win over
 * DNS, a change it reports is followed at once (the refresh interval here is an hour), and a service it does not know
 * is resolved as {@code tasks.<service>}. The tasks are real servers on loopback addresses sharing a port; a real DNS
 * server answers what it is told.
 */
class TaskAddressesTest {
    @RegisterExtension
    final LoopbackTasks tasks = new LoopbackTasks();
    private final FakeSource source = new FakeSource();
    private final TestDnsServer dns = TestDnsServer.start();
    @RegisterExtension
    final ProxyExtension proxyExtension = ProxyExtension.builder().autoStart(false).build();

    @AfterEach
    void closeDns() {
        dns.close();
    }

    @Test
    void balancesOverTheAddressesTheSourceLists() throws IOException {
        int port = tasks.start(3);
        dns.set("tasks.web", "127.0.0.1");
        source.set("web", "127.0.0.2", "127.0.0.3");
        try (ProxyServer proxy = startProxy(port)) {
            assertThat(servedBy(proxy, 30)).containsExactlyInAnyOrder("task2", "task3");
        }
        assertThat(dns.queries()).as("DNS queries").isZero();
    }

    @Test
    void followsAChangeTheSourceReportsAtOnce() throws IOException {
        int port = tasks.start(2);
        source.set("web", "127.0.0.1");
        try (ProxyServer proxy = startProxy(port)) {
            assertThat(servedBy(proxy, 10)).containsExactly("task1");

            source.set("web", "127.0.0.2");
            assertThat(servedBy(proxy, 10)).as("before the source reports the change").containsExactly("task1");
            source.changed("WEB"); // Swarm's names are matched as the routes write them, in lower case

            await().atMost(Duration.ofSeconds(1)).until(() -> servedBy(proxy, 10).equals(Set.of("task2")));
        }
    }

    @Test
    void resolvesTheServicesTheSourceDoesNotKnow() throws IOException {
        int port = tasks.start(3);
        dns.set("tasks.web", "127.0.0.3");
        source.set("other", "127.0.0.1");
        try (ProxyServer proxy = startProxy(port)) {
            assertThat(servedBy(proxy, 10)).containsExactly("task3");
        }
    }

    @Test
    void aServiceTheSourceListsWithoutTasksGets503() throws IOException {
        int port = tasks.start(1);
        dns.set("tasks.web", "127.0.0.1");
        source.set("web");
        try (ProxyServer proxy = startProxy(port)) {
            assertThat(RawHttpConnection.get(proxy.port(), "a", "/x").status()).isEqualTo(503);
        }
    }

    /** The tasks that served {@code requests} GETs in a row on one connection. */
    private static Set<String> servedBy(ProxyServer proxy, int requests) throws IOException {
        Set<String> served = new HashSet<>();
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            for (int i = 0; i < requests; i++) {
                RawHttpConnection.Response response = connection.exchange("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(response.status()).isEqualTo(200);
                served.add(response.header("X-Backend"));
            }
        }
        return served;
    }

    private ProxyServer startProxy(int port) {
        return proxyExtension.start(ProxyServer.builder()
                .nameServer(dns.address())
                .taskRefresh(Duration.ofHours(1))
                .taskAddresses(source)
                .routes(RouteTable.of(List.of(Route.builder("web").path("/").backend(Backend.tasks("web", port))
                        .build()))));
    }

    /** A source the test fills, telling the proxy of changes when the test says so. */
    private static final class FakeSource implements TaskAddresses {
        private final Map<String, List<InetAddress>> running = new ConcurrentHashMap<>();
        private volatile Consumer<String> proxy;

        void set(String service, String... addresses) throws UnknownHostException {
            List<InetAddress> listed = new ArrayList<>();
            for (String address : addresses) {
                listed.add(InetAddress.getByName(address));
            }
            running.put(service, listed);
        }

        void changed(String service) {
            proxy.accept(service);
        }

        @Override
        public Optional<List<InetAddress>> running(String service) {
            return Optional.ofNullable(running.get(service));
        }

        @Override
        public void watch(Consumer<String> changed) {
            this.proxy = changed;
        }
    }
}
