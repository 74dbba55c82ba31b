package io.swarmgate.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HostIndexTest {

    @Test
    void copiesWithAddsAndRemovesAgreeWithAMap() {
        Random random = new Random(42);
        Map<String, Integer> reference = new HashMap<>();
        HostIndex<Integer> index = new HostIndex<>(Map.of());
        for (int step = 0; step < 3000; step++) {
            Map<String, Integer> updates = new HashMap<>();
            for (int u = random.nextInt(4); u >= 0; u--) {
                String host = "h" + random.nextInt(300) + ".example.com";
                updates.put(host, random.nextInt(3) == 0 ? null : step);
            }
            HostIndex<Integer> before = index;
            Map<String, Integer> beforeReference = new HashMap<>(reference);
            index = index.with(updates);
            updates.forEach((host, value) -> {
                if (value == null) {
                    reference.remove(host);
                } else {
                    reference.put(host, value);
                }
            });
            for (int h = 0; h < 300; h++) {
                String host = "h" + h + ".example.com";
                assertThat(index.get(host, 0, host.length())).as("step %d, %s", step, host).isEqualTo(reference.get(host));
                assertThat(before.get(host, 0, host.length())).as("unchanged original").isEqualTo(beforeReference.get(host));
            }
        }
    }

    @Test
    void looksUpARegionOfAHostHeaderIgnoringCase() {
        HostIndex<String> index = new HostIndex<>(Map.of("example.com", "x"));

        assertThat(index.get("WWW.Example.COM:8080", 4, 15)).isEqualTo("x");
        assertThat(index.get("example.co", 0, 10)).isNull();
    }
}
