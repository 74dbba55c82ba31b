package io.swarmgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Swarmgate in the swarm follows a service's scale, to zero included, and its removal; new tasks serve within 2 s of
 * Swarm showing them running.
 */
class ScalingIT {
    private static final Duration CONVERGED = Duration.ofSeconds(30);

    @RegisterExtension
    static final EndToEndSwarm swarm = new EndToEndSwarm();

    /** The tasks that served a dozen requests in a row. */
    private static Set<String> servedBy(WebService web) throws Exception {
        Set<String> tasks = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            tasks.add(swarm.get(web.path()).body().trim());
        }
        return tasks;
    }

    @Test
    void routesEveryTaskAsTheServiceScalesUpAndAnswers503AtZero() throws Exception {
        WebService web = swarm.createRoutedWeb(1);

        web.scale(3);

        await().atMost(CONVERGED).until(() -> web.runningTasks().size() == 3);
        await().atMost(Duration.ofSeconds(2)).until(() -> servedBy(web).equals(web.runningTasks()));

        web.scale(0);

        await().atMost(CONVERGED).until(() -> swarm.get(web.path()).statusCode() == 503);
    }

    @Test
    void answers503OnceTheServiceIsRemoved() throws Exception {
        WebService web = swarm.createRoutedWeb(1);

        web.remove();

        await().atMost(CONVERGED).until(() -> swarm.get(web.path()).statusCode() == 503);
        assertThat(swarm.get(web.path()).body()).isNotEmpty().hasSizeLessThan(200);
    }
}
