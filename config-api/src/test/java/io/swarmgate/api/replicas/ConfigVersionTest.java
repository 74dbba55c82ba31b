package io.swarmgate.api.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.config.ServiceFields;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.testing.Queries;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigVersionTest {
    private static final ServiceSpec A = parse("serviceName=a", "servicePath=/a", "port=1",
            "serviceHeader=X-B:2,X-A:1");
    private static final ServiceSpec B = parse("serviceName=b", "serviceDomain=b.example.com", "port=2",
            "users=alice:secret");

    private static ServiceSpec parse(String... parameters) {
        return Queries.service(String.join("&", parameters));
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
        assertThat(versionAfter(A, B.toBuilder().with(ServiceFields.USERS, List.of()).build())).isNotEqualTo(version);
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

    @Test
    void aVersionWorkedOutChangeByChangeEqualsOneWorkedOutAtOnce() {
        ServiceRegistry registry = new ServiceRegistry(table -> { });
        ConfigVersion version = new ConfigVersion();
        registry.apply(A);
        registry.apply(B);
        version.of(registry.services());
        ServiceSpec changed = B.toBuilder().with(ServiceFields.USERS, List.of()).build();

        registry.apply(changed);
        assertThat(version.of(registry.services())).isEqualTo(versionAfter(A, changed))
                .isNotEqualTo(versionAfter(A, B));
        registry.remove("a");
        assertThat(version.of(registry.services())).isEqualTo(versionAfter(changed));
    }
}
