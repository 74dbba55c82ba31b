package io.swarmgate.api.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.config.ServiceSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigVersionTest {
    private static final ServiceSpec A = parse("serviceName=a", "servicePath=/a", "port=1",
            "serviceHeader=X-B:2,X-A:1");
    private static final ServiceSpec B = parse("serviceName=b", "serviceDomain=b.example.com", "port=2",
            "users=alice:secret");

    private static ServiceSpec parse(String... parameters) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        Arrays.stream(parameters).map(p -> p.split("=", 2)).forEach(kv -> query.put(kv[0], List.of(kv[1])));
        return ReconfigureParameters.defaults().parse(query);
    }

    private static String versionAfter(ServiceSpec... applied) {
        ServiceRegistry registry = new ServiceRegistry(table -> { });
        Arrays.stream(applied).forEach(registry::apply);
        return new ConfigVersion().of(registry.services());
    }

    @Test
    void equalTablesHaveEqualVersionsWhateverTheOrderTheServicesArrivedIn() {
        assertThat(versionAfter(A, B)).isEqualTo(versionAfter(B, A)).startsWith("sha256:").hasSize(7 + 64);
    }

    @Test
    void anyDifferenceChangesTheVersionPasswordsIncluded() {
        String version = versionAfter(A, B);

        assertThat(versionAfter(A)).isNotEqualTo(version);
        assertThat(versionAfter(A, B.toBuilder().users(List.of()).build())).isNotEqualTo(version);
        assertThat(versionAfter()).isNotEqualTo(version);
    }

    @Test
    void remembersTheVersionOfTheListItWasLastGiven() {
        ServiceRegistry registry = new ServiceRegistry(table -> { });
        registry.apply(A);
        ConfigVersion version = new ConfigVersion();
        String first = version.of(registry.services());

        registry.apply(B);

        assertThat(version.of(registry.services())).isNotEqualTo(first);
        registry.remove("b");
        assertThat(version.of(registry.services())).isEqualTo(first);
    }
}
