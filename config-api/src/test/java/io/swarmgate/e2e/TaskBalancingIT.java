package io.swarmgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Swarmgate in the swarm routes a labelled dnsrr service, balances the host's requests over all its tasks, and routes
 * around a task that dies.
 */
class TaskBalancingIT {
    private static final int THREADS = 4;

    @RegisterExtension
    static final EndToEndSwarm swarm = new EndToEndSwarm();

    @Test
    void servesEveryTaskOfAThreeReplicaServiceInTurn() throws Exception {
        WebService web = swarm.createRoutedWeb(3);
        Set<String> tasks = web.runningTasks();

        Map<String, Integer> servedBy = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = swarm.get(web.path());
            assertThat(response.statusCode()).isEqualTo(200);
            servedBy.merge(response.body().trim(), 1, Integer::sum);
        }

        assertThat(servedBy).containsOnlyKeys(tasks);
        // Round robin: one request in three each, give or take the turns other requests took.
        assertThat(servedBy.values()).allSatisfy(count -> assertThat(count).isBetween(8, 12));
    }

    @Test
    void aTaskKilledUnderLoadCostsNoRequest() throws Exception {
        WebService web = swarm.createRoutedWeb(3);
        Set<String> tasks = web.runningTasks();
        RequestLoop loop = new RequestLoop(swarm.proxyUrl(web.path()), THREADS);
        Set<String> replaced;
        try (loop) {
            await().atMost(Duration.ofSeconds(60)).until(() -> loop.lastServedBy(100).equals(tasks));

            // Unlike an update, the task dies before Docker takes it out of DNS: the proxy must send the requests it
            // had for it elsewhere and eject it.
            web.killOneTask();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> web.runningTasks().size() == 3 && !web.runningTasks().equals(tasks));
            replaced = web.runningTasks();
            await().atMost(Duration.ofSeconds(10)).until(() -> loop.lastServedBy(100).equals(replaced));
        }

        System.out.printf("a task killed: %s; proxy: %s%n", loop.summary(), swarm.proxyHealthMetrics(web));
        // busybox httpd writes an answer's head and its body apart. A task killed between the two cuts that answer short
        // after the proxy has relayed its head, which no proxy can take back: only answers in flight at the kill may
        // be lost that way, at most one per client thread. Every request the proxy could still send elsewhere is saved.
        assertThat(loop.failures()).as("failed requests of %d", loop.count())
                .allSatisfy(failure -> assertThat(failure.cutShort()).as("cut short after its head").isTrue())
                .hasSizeLessThanOrEqualTo(THREADS);
        // A vanished task costs one short connect attempt, not the connect timeout (5 s).
        assertThat(loop.slowest()).as("slowest request, ms").isLessThan(2000);
    }
}
