package io.swarmgate.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import io.swarmgate.config.GlobalRules;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.ProxyServer;
import io.swarmgate.proxy.TaskState;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.Queries;
import io.swarmgate.testing.TcpEchoServer;
import io.swarmgate.testing.TestDnsServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BackendHealthMetricsTest {
    @RegisterExtension
    final ProxyExtension proxyExtension = ProxyExtension.builder().autoStart(false).build();

    @Test
    void publishesRetriesAndTaskEjectionsByService() {
        SwarmgateMetrics metrics = new SwarmgateMetrics();
        ProxyObserver observer = metrics.proxyObserver();
        Route route = Route.builder("go-demo").path("/demo").backend(Backend.tasks("go-demo", 8080)).build();

        observer.requestRetried(route);
        observer.requestRetried(route);
        observer.taskEjected(route, new InetSocketAddress("127.0.0.9", 8080));

        assertThat(metrics.scrape())
                .contains("swarmgate_retries_total{service=\"go-demo\"} 2")
                .contains("swarmgate_task_ejections_total{service=\"go-demo\"} 1");
    }

    @Test
    void countsTheTaskATcpRelayFoundRefusingAsAnEjectionOfItsService() throws Exception {
        SwarmgateMetrics metrics = new SwarmgateMetrics();
        int srcPort = TcpEchoServer.freePort();
        try (TestDnsServer dns = TestDnsServer.start();
             TcpEchoServer live = TcpEchoServer.start();
             ProxyServer proxy = proxyExtension.start(ProxyServer.builder()
                     .observer(metrics.proxyObserver()).nameServer(dns.address()))) {
            dns.set("tasks.redis", "127.0.0.1", "127.0.0.9"); // nothing listens on .9
            new ServiceRegistry(proxy::routes, proxy::streams, GlobalRules.NONE).apply(Queries.service(
                    "serviceName=redis&reqMode=tcp&srcPort=" + srcPort + "&port=" + live.port()
                            + "&discoveryType=DNS"));

            // A connection that met the refusing task is relayed to the other: the client sees its echo.
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                try (Socket client = new Socket("127.0.0.1", srcPort)) {
                    client.setSoTimeout(5_000);
                    client.getOutputStream().write("PING".getBytes(StandardCharsets.US_ASCII));
                    assertThat(client.getInputStream().readNBytes(4)).asString(StandardCharsets.US_ASCII)
                            .isEqualTo("PING");
                }
                return metrics.scrape().contains("swarmgate_task_ejections_total{service=\"redis\"}");
            });

            assertThat(metrics.scrape()).contains("swarmgate_task_ejections_total{service=\"redis\"} 1");
        }
    }

    @Test
    void publishesTheTasksOfEachServiceAtEveryScrape() {
        SwarmgateMetrics metrics = new SwarmgateMetrics();
        List<TaskState> tasks = new ArrayList<>(List.of(new TaskState("web", "10.0.0.5:80", 3, 2, true),
                new TaskState("web", "10.0.0.6:80", 0, 1, true), new TaskState("web", "10.0.0.7:80", 0, 0, false)));
        metrics.watchTasks(() -> tasks);

        assertThat(metrics.scrape())
                .contains("swarmgate_tasks{service=\"web\",state=\"up\"} 2")
                .contains("swarmgate_tasks{service=\"web\",state=\"ejected\"} 1")
                .contains("swarmgate_task_requests_in_flight{service=\"web\",task=\"10.0.0.5:80\"} 3")
                .contains("swarmgate_task_pooled_connections{service=\"web\",task=\"10.0.0.5:80\"} 2");
        tasks.remove(2);
        assertThat(metrics.scrape()).doesNotContain("state=\"ejected\"").doesNotContain("10.0.0.7");
    }

    @Test
    void publishesEachTaskAsAnHaproxyServerOfItsServicesBackend() {
        SwarmgateMetrics metrics = new SwarmgateMetrics();
        ServiceRegistry registry = new ServiceRegistry(table -> { });
        registry.apply(Queries.service("serviceName=web&servicePath.1=/a&port.1=80&servicePath.2=/b&port.2=81"
                + "&discoveryType=DNS"));
        metrics.watch(registry);
        metrics.watchTasks(() -> List.of(new TaskState("web", "10.0.0.5:80", 3, 2, true),
                new TaskState("web", "10.0.0.7:80", 0, 0, false)));

        assertThat(metrics.scrape())
                .contains("haproxy_backend_up{backend=\"web-be80_1\"} 1\n")
                .contains("haproxy_backend_current_sessions{backend=\"web-be80_1\"} 3\n")
                .contains("haproxy_server_up{backend=\"web-be80_1\",server=\"10.0.0.5:80\"} 1\n")
                .contains("haproxy_server_up{backend=\"web-be80_1\",server=\"10.0.0.7:80\"} 0\n")
                .contains("haproxy_server_current_sessions{backend=\"web-be80_1\",server=\"10.0.0.5:80\"} 3\n");
    }
}
