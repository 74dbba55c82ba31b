package io.swarmgate.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.ProxyObserver.MirrorDrop;
import io.swarmgate.proxy.route.Route;
import org.junit.jupiter.api.Test;

/** {@code swarmgate_mirror_dropped_total{service,reason}}: the copies of {@code mirrorService} not sent or answered. */
class MirrorDropMetricsTest {
    @Test
    void countsEachDropByServiceAndReason() {
        SwarmgateMetrics metrics = new SwarmgateMetrics();
        ProxyObserver observer = metrics.proxyObserver();
        Route route = Route.builder("shop").path("/shop").backend("shop", 8080).build();

        observer.mirrorDropped(route, MirrorDrop.BUSY);
        observer.mirrorDropped(route, MirrorDrop.BUSY);
        observer.mirrorDropped(route, MirrorDrop.BODY_TOO_LARGE);

        assertThat(metrics.scrape())
                .contains("swarmgate_mirror_dropped_total{reason=\"busy\",service=\"shop\"} 2.0")
                .contains("swarmgate_mirror_dropped_total{reason=\"body_too_large\",service=\"shop\"} 1.0")
                .doesNotContain("reason=\"failed\"");
    }
}
