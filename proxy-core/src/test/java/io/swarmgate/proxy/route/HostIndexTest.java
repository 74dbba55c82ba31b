package io.swarmgate.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
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

    @Test
    void takesAHashWorkedOutRightToLeftForEverySuffix() {
        String host = "Shop-7.Tenant-42.Example.NET";
        HostIndex<String> index = new HostIndex<>(Map.of(".example.net", "short", ".tenant-42.example.net", "long",
                "shop-7.tenant-42.example.net", "exact"));
        Map<Integer, String> found = new HashMap<>();
        int hash = 0;
        int power = 1;
        for (int i = host.length() - 1; i >= 0; i--) {
            hash += HostNames.lower(host.charAt(i)) * power;
            power *= 31;
            assertThat(hash).as("suffix from %d", i).isEqualTo(HostIndex.foldedHash(host, i, host.length()));
            String value = index.get(hash, host, i, host.length());
            if (value != null) {
                found.put(i, value);
            }
        }

        assertThat(found).isEqualTo(Map.of(16, "short", 6, "long", 0, "exact"));
    }

    @Test
    void aKeyRemovedFromACopyIsGoneWhileOthersOfItsLengthStay() {
        HostIndex<String> index = new HostIndex<>(Map.of("a.example.com", "a", "b.example.com", "b"));

        HostIndex<String> copy = index.with(Collections.singletonMap("a.example.com", null));

        assertThat(copy.get("A.example.com", 0, 13)).isNull();
        assertThat(copy.get("B.example.com", 0, 13)).isEqualTo("b");
        assertThat(index.get("a.example.com", 0, 13)).isEqualTo("a");
    }

    @Test
    void growsTo100000KeysAndShrinksToNoneOneChangeAtATimeLeavingEveryCopyAsItWas() {
        int keys = 100_000;
        HostIndex<Integer> index = new HostIndex<>(Map.of());
        List<HostIndex<Integer>> copies = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            index = index.with(Map.of(host(i), i));
            if (Integer.bitCount(i) == 1) {
                copies.add(index); // after 1, 2, 4, ... keys: around every rebuild with more segments
            }
        }
        for (int i = 0; i < keys; i++) {
            assertThat(index.get(host(i).toUpperCase(), 0, host(i).length())).isEqualTo(i);
        }
        for (int i = 0; i < keys; i += 2) {
            index = index.with(Collections.singletonMap(host(i), null));
        }
        for (int i = 0; i < keys; i++) {
            assertThat(index.get(host(i), 0, host(i).length())).isEqualTo(i % 2 == 0 ? null : i);
        }
        for (int i = 1; i < keys; i += 2) {
            index = index.with(Collections.singletonMap(host(i), null));
        }
        assertThat(index.isEmpty()).isTrue();
        assertThat(index.get(host(1), 0, host(1).length())).isNull();
        for (int c = 0; c < copies.size(); c++) {
            int size = 1 << c; // copy c was taken after key 2^c was added: keys 0 to 2^c
            HostIndex<Integer> copy = copies.get(c);
            for (int i = 0; i <= Math.min(size, 3000); i++) {
                assertThat(copy.get(host(i), 0, host(i).length())).as("copy %d, key %d", c, i).isEqualTo(i);
            }
            assertThat(copy.get(host(size + 1), 0, host(size + 1).length())).isNull();
        }
    }

    private static String host(int i) {
        return "svc-" + i + ".example.com";
    }
}
