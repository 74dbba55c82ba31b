package io.swarmgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.e2e.RequestLoop.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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
        List<Outcome> outcomes;
        Set<String> newTasks;
        try (RequestLoop loop = new RequestLoop(swarm.proxyUrl(web.path()), THREADS)) {
            // Steady first: every old task has answered.
            await().atMost(Duration.ofSeconds(60)).until(() -> servers(loop.last(TAIL)).equals(oldTasks));

            web.startUpdate(WebService.NEXT_IMAGE, order);
            await().atMost(Duration.ofSeconds(90)).until(() -> web.updateState().equals("completed"));
            newTasks = web.runningTasks();
            // The proxy follows: the last requests were all served by the new tasks, and each of them served some.
            await().atMost(Duration.ofSeconds(10)).until(() -> servers(loop.last(TAIL)).equals(newTasks));
            outcomes = loop.outcomes();
        }

        List<Outcome> failed = outcomes.stream().filter(outcome -> !outcome.ok()).toList();
        System.out.printf("--update-order %s: %d requests, %d failed; proxy: %s%n", order, outcomes.size(),
                failed.size(), swarm.proxyHealthMetrics().replace('\n', ' '));
        assertThat(newTasks).hasSize(3).doesNotContainAnyElementsOf(oldTasks);
        assertThat(failed).as("failed requests of %d", outcomes.size()).isEmpty();
    }

    /** The tasks that answered these requests. */
    private static Set<String> servers(List<Outcome> outcomes) {
        return outcomes.stream().filter(Outcome::ok).map(Outcome::body).collect(Collectors.toSet());
    }
}
