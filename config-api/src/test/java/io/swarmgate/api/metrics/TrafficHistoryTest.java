package io.swarmgate.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.upstream.Backend;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TrafficHistoryTest {
    private final SwarmgateMetrics metrics = new SwarmgateMetrics();
    private final ProxyObserver observer = metrics.proxyObserver();
    private final TrafficHistory history = metrics.traffic();
    private final Route web = Route.builder("web").path("/").backend(Backend.tasks("web", 80)).build();

    private void answer(int count, int status, long millis) {
        for (int i = 0; i < count; i++) {
            observer.exchangeCompleted(web, HttpMethod.GET, status, TimeUnit.MILLISECONDS.toNanos(millis));
        }
    }

    @Test
    void eachSampleHoldsTheRequestsAnsweredSinceThePreviousOne() {
        answer(1000, 200, 900); // the first sample counts what the meters held, from the first request on
        history.sample(10_000);
        answer(90, 200, 10);
        answer(10, 503, 10);
        history.sample(12_000);
        answer(98, 200, 20);
        answer(2, 200, 2000);
        history.sample(13_000);

        TrafficHistory.Window window = history.window("web");
        assertThat(window.rps()).containsExactly(1000f, 50f, 100f);
        assertThat(window.errorRatio()).containsExactly(0f, 0.1f, 0f);
        assertThat(window.p50Millis()[0]).isCloseTo(900f, within(100f));
        assertThat(window.p50Millis()[1]).isCloseTo(10f, within(1.5f));
        assertThat(window.p99Millis()[1]).isCloseTo(10f, within(1.5f));
        assertThat(window.p50Millis()[2]).isCloseTo(20f, within(3f));
        assertThat(window.p99Millis()[2]).isGreaterThan(1000f).isLessThan(2300f);
        assertThat(window.requests()).isEqualTo(1200);
    }

    @Test
    void aSecondWithoutRequestsHasNoPercentilesAndTheRingKeepsTheLastPoints() {
        answer(1, 200, 5);
        for (int second = 1; second <= TrafficHistory.POINTS + 11; second++) {
            history.sample(second * 1000L);
        }
        observer.taskEjected(web, new InetSocketAddress("127.0.0.2", 80));
        history.sample((TrafficHistory.POINTS + 12) * 1000L);

        TrafficHistory.Window window = history.window("web");
        assertThat(window.rps()).hasSize(TrafficHistory.POINTS).containsOnly(0f);
        assertThat(window.p50Millis()).containsOnly(Float.NaN);
        assertThat(window.ejections()).isEqualTo(1);
        assertThat(history.lastSample()).isEqualTo((TrafficHistory.POINTS + 12) * 1000L);
    }

    @Test
    void idleSecondsBetweenBusyOnesAndAfterAWholeIdleWindowShowAsIdle() {
        answer(10, 200, 5);
        history.sample(1_000);
        history.sample(2_000);
        history.sample(3_000);
        answer(20, 200, 5);
        history.sample(4_000);

        TrafficHistory.Window window = history.window("web");
        assertThat(window.rps()).containsExactly(10f, 0f, 0f, 20f);
        assertThat(window.p50Millis()[1]).isNaN();
        assertThat(window.p50Millis()[2]).isNaN();
        assertThat(window.p50Millis()[3]).isCloseTo(5f, within(1f));

        for (int second = 5; second <= TrafficHistory.POINTS + 10; second++) {
            history.sample(second * 1000L);
        }
        assertThat(history.window("web").rps()).as("a whole window idle").containsOnly(0f);
        answer(30, 503, 5);
        history.sample((TrafficHistory.POINTS + 11) * 1000L);
        answer(40, 200, 5);
        history.sample((TrafficHistory.POINTS + 12) * 1000L);

        window = history.window("web");
        assertThat(window.rps()).hasSize(TrafficHistory.POINTS);
        assertThat(window.rps()[TrafficHistory.POINTS - 3]).isZero();
        assertThat(window.p99Millis()[TrafficHistory.POINTS - 3]).isNaN();
        assertThat(window.rps()[TrafficHistory.POINTS - 2]).isEqualTo(30f);
        assertThat(window.errorRatio()[TrafficHistory.POINTS - 2]).isEqualTo(1f);
        assertThat(window.rps()[TrafficHistory.POINTS - 1]).isEqualTo(40f);
        assertThat(window.errorRatio()[TrafficHistory.POINTS - 1]).isZero();
        assertThat(window.requests()).isEqualTo(100);
    }

    @Test
    void recentSumsTheWindowsRequestsAndErrorsUntilTheyLeaveIt() {
        assertThat(history.recent()).isEmpty();
        answer(10, 200, 5);
        history.sample(1_000);
        answer(4, 200, 5);
        answer(6, 503, 5);
        history.sample(2_000);

        assertThat(history.recent()).containsOnlyKeys("web");
        assertThat(history.recent().get("web")).isEqualTo(new TrafficHistory.Recent(20, 6));
        for (int second = 3; second <= TrafficHistory.POINTS + 1; second++) {
            history.sample(second * 1000L);
        }
        assertThat(history.recent().get("web")).as("the first second left the window")
                .isEqualTo(new TrafficHistory.Recent(10, 6));
        history.sample((TrafficHistory.POINTS + 2) * 1000L);
        assertThat(history.recent()).isEmpty();
    }

    @Test
    void eachServiceGetsItsOwnErrorsAndEjectionsAmongAThousand() {
        Route[] routes = new Route[1000];
        for (int i = 0; i < routes.length; i++) {
            routes[i] = Route.builder("svc-" + i).path("/svc-" + i).backend(Backend.tasks("svc-" + i, 80)).build();
            for (int r = 0; r <= i % 10; r++) {
                observer.exchangeCompleted(routes[i], HttpMethod.GET, r < i % 3 ? 502 : 200, 1_000_000);
            }
            for (int e = 0; e < i % 4; e++) {
                observer.taskEjected(routes[i], new InetSocketAddress("127.0.0.2", 80));
            }
        }
        history.sample(1_000);

        for (int i = 0; i < routes.length; i++) {
            TrafficHistory.Window window = history.window("svc-" + i);
            int requests = i % 10 + 1;
            assertThat(window.requests()).as("svc-%d", i).isEqualTo(requests);
            assertThat(window.errorRatio()[0]).as("svc-%d", i).isEqualTo((float) Math.min(i % 3, requests) / requests);
            assertThat(window.ejections()).as("svc-%d", i).isEqualTo(i % 4);
        }
    }
}
