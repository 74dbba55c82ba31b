package io.swarmgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4's proof: {@code docker service update --image} of a 3-replica dnsrr service while the host sends a steady
 * loop of GETs through Swarmgate. Not one request may fail, and the new tasks serve once the update is done.
 */
class RollingUpdateIT {
    private static final int THREADS = 4;
    private static final int TAIL = 100;

    @RegisterExtension
    static final EndToEndSwarm swarm = new EndToEndSwarm();

    @ParameterizedTest(name = "--update-order {0}")
    @ValueSource(strings = {"stop-first", "start-first"})
    void dropsNoRequestDuringARollingUpdate(String order) throws Exception {
        WebService web = swarm.createRoutedWeb(3);
        Set<String> oldTasks = web.runningTasks();
        RequestLoop loop = new RequestLoop(swarm.proxyUrl(web.path()), THREADS);
        Set<String> newTasks;
        try (loop) {
            // Steady first: every old task has answered.
            await().atMost(Duration.ofSeconds(60)).until(() -> loop.lastServedBy(TAIL).equals(oldTasks));

            web.startUpdate(WebService.NEXT_IMAGE, order);
            await().atMost(Duration.ofSeconds(90)).until(() -> web.updateState().equals("completed"));
            newTasks = web.runningTasks();
            // The proxy follows: the last requests were all served by the new tasks, and each of them served some.
            await().atMost(Duration.ofSeconds(10)).until(() -> loop.lastServedBy(TAIL).equals(newTasks));
        }

        System.out.printf("--update-order %s: %s; proxy: %s%n", order, loop.summary(), swarm.proxyHealthMetrics(web));
        assertThat(newTasks).hasSize(3).doesNotContainAnyElementsOf(oldTasks);
        assertThat(loop.failures()).as("failed requests of %d", loop.count()).isEmpty();
    }
}
