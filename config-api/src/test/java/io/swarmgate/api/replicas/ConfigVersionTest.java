package io.swarmgate.api.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.config.ServiceFields;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.testing.Queries;
import java.util.ArrayList;
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
        return new ConfigVersion(registry).current().version();
    }

    @Test
    void equalTablesHaveEqualVersionsWhateverTheOrderTheServicesArrivedIn() {
        assertThat(versionAfter(A, B)).isEqualTo(versionAfter(B, A)).startsWith("sha256:").hasSize(7 + 64);
    }

    @Test
    void anyDifferenceChangesTheVersionPasswordsIncluded() {
        String version = versionAfter(A, B);

        assertThat(versionAfter(A)).isNotEqualTo(version);
        assertThat(versionAfter(B)).isNotEqualTo(version).isNotEqualTo(versionAfter(A));
        assertThat(versionAfter(A, B.toBuilder().with(ServiceFields.USERS, List.of()).build())).isNotEqualTo(version);
        assertThat(versionAfter()).isNotEqualTo(version);
    }

    @Test
    void aVersionFollowedChangeByChangeEqualsOneWorkedOutAtOnce() {
        ServiceRegistry registry = new ServiceRegistry(table -> { });
        registry.apply(A);
        ConfigVersion version = new ConfigVersion(registry);
        ConfigVersion.Reading first = version.current();
        assertThat(first.services()).isEqualTo(1);

        registry.apply(B);
        assertThat(version.current()).isEqualTo(new ConfigVersion.Reading(versionAfter(A, B), 2));
        ServiceSpec changed = B.toBuilder().with(ServiceFields.USERS, List.of()).build();
        registry.apply(changed);
        assertThat(version.current().version()).isEqualTo(versionAfter(A, changed)).isNotEqualTo(versionAfter(A, B));
        registry.remove("b");
        assertThat(version.current()).as("back where it began").isEqualTo(first);
        registry.apply(B);
        registry.remove("a");
        registry.remove("b");
        assertThat(version.current()).isEqualTo(new ConfigVersion.Reading(versionAfter(), 0));
    }

    @Test
    void moreChangesThanTheTableHoldsUnreadAreCountedAgainFromTheRegistry() {
        ServiceRegistry registry = new ServiceRegistry(table -> { });
        registry.apply(A);
        ConfigVersion version = new ConfigVersion(registry);
        version.current();

        List<ServiceSpec> all = new ArrayList<>(List.of(A));
        for (int i = 0; i < 3000; i++) {
            ServiceSpec preview = parse("serviceName=preview-" + i, "servicePath=/preview-" + i, "port=80");
            registry.apply(preview);
            if (i % 3 == 0) {
                registry.remove(preview.serviceName());
            } else {
                all.add(preview);
            }
        }

        assertThat(version.current()).isEqualTo(new ConfigVersion.Reading(
                versionAfter(all.toArray(ServiceSpec[]::new)), 2001));
    }
}
