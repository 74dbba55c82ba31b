package io.swarmgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Swarmgate in the swarm routes a labelled dnsrr service and balances the host's requests over all its tasks. */
class TaskBalancingIT {
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
}
