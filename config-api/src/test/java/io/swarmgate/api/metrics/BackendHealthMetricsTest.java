package io.swarmgate.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.route.Backend;
import io.swarmgate.proxy.route.Route;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class BackendHealthMetricsTest {

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
}
