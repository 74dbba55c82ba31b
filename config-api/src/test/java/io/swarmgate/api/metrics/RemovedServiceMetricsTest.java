package io.swarmgate.api.metrics;

import static io.swarmgate.testing.Queries.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.ProxyObserver.MirrorDrop;
import io.swarmgate.proxy.route.Route;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A service that came and went leaves neither meters, nor lines in {@code /metrics}, nor dashboard samples. */
class RemovedServiceMetricsTest {
    private final SwarmgateMetrics metrics = new SwarmgateMetrics();
    private final ProxyObserver observer = metrics.proxyObserver();
    private final ServiceRegistry registry = new ServiceRegistry(table -> { });

    RemovedServiceMetricsTest() {
        metrics.watch(registry);
    }

    private Route apply(String name) {
        registry.apply(service("serviceName=" + name + "&servicePath=/" + name + "&port=8080"));
        return registry.routes().find("h", "/" + name, 80);
    }

    private static ServiceSpec service(String query) {
        return ReconfigureParameters.defaults().parse(query(query));
    }

    private void answer(Route route) {
        observer.exchangeCompleted(route, HttpMethod.GET, 200, TimeUnit.MILLISECONDS.toNanos(3));
    }

    @Test
    void aRemovedServicesMetersAndSamplesGoAtTheNextSweepAndTheOthersStay() {
        Route shop = apply("shop");
        Route cart = apply("cart");
        answer(shop);
        answer(cart);
        observer.mirrorDropped(shop, MirrorDrop.BUSY);
        metrics.traffic().sample(1_000);
        assertThat(metrics.scrape()).contains("service=\"shop\"");

        registry.remove("shop");
        assertThat(metrics.scrape()).as("kept until the sweep").contains("service=\"shop\"");
        metrics.forgetRemovedServices();

        String scrape = metrics.scrape();
        assertThat(scrape).doesNotContain("service=\"shop\"")
                .contains("swarmgate_requests_total{code=\"2xx\",method=\"GET\",service=\"cart\"} 1")
                .contains("swarmgate_request_duration_seconds_count{service=\"cart\"} 1");
        assertThat(metrics.traffic().window("shop")).isNull();
        assertThat(metrics.traffic().window("cart")).isNotNull();
    }

    @Test
    void aRequestThatEndsAfterItsServiceWasRemovedIsForgottenAtTheNextSweep() {
        Route shop = apply("shop");
        answer(shop);
        registry.remove("shop");
        metrics.forgetRemovedServices();

        answer(shop);
        assertThat(metrics.scrape()).contains("swarmgate_request_duration_seconds_count{service=\"shop\"} 1");
        metrics.forgetRemovedServices();

        assertThat(metrics.scrape()).doesNotContain("service=\"shop\"");
    }

    @Test
    void aServiceAddedAgainKeepsItsNewMeters() {
        Route shop = apply("shop");
        answer(shop);
        registry.remove("shop");
        Route again = apply("shop");
        answer(again);
        metrics.forgetRemovedServices();

        assertThat(metrics.scrape()).contains("swarmgate_request_duration_seconds_count{service=\"shop\"} 2");
    }

    @Test
    void aRemovedNameIsSweptForAMinuteAndThenNoLongerKept() {
        Route shop = apply("shop");
        registry.remove("shop");
        for (int sweep = 0; sweep < ExchangeMetrics.SWEEPS_AFTER_REMOVAL - 1; sweep++) {
            metrics.forgetRemovedServices();
        }
        answer(shop);
        metrics.forgetRemovedServices();
        assertThat(metrics.scrape()).as("the last sweep").doesNotContain("service=\"shop\"");

        answer(shop);
        metrics.forgetRemovedServices();
        assertThat(metrics.scrape()).as("after a minute, the name is no longer held")
                .contains("swarmgate_request_duration_seconds_count{service=\"shop\"} 1");
    }
}
