package io.swarmgate.api.dashboard;

import io.swarmgate.config.DestinationFields;
import io.swarmgate.config.DestinationSpec;
import io.swarmgate.config.Field;
import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceFields;
import io.swarmgate.config.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One row per destination of every service: where requests match (host, path, ports, mode), the destination's other
 * rules, and the service's policies, each listed only when it differs from its default (that of a service given by
 * its name and port alone). Secrets are not listed: users are counted and a certificate is only said to be there.
 */
final class RouteRows {
    /** The destination's fields shown in columns of their own, not among its rules. */
    private static final Set<String> MATCH = Set.of("serviceDomain", "servicePath", "port", "srcPort", "reqMode",
            "index");
    /** The service's fields that are not policies, or are secrets. */
    private static final Set<String> NOT_POLICIES = Set.of("serviceName", "destinations", "users", "serviceCert",
            "replicas", "global", "distribute");

    private static final ServiceSpec DEFAULTS = new ReconfigureParameters(",", false)
            .parse(Map.of("serviceName", List.of("default"), "servicePath", List.of("/"), "port", List.of("80")))
            .formatted();
    private static final Map<String, Object> SERVICE_DEFAULTS = fields(ServiceFields.ALL, DEFAULTS::get);
    private static final Map<String, Object> DESTINATION_DEFAULTS = fields(DestinationFields.ALL,
            DEFAULTS.destinations().get(0)::get);

    private RouteRows() {
    }

    static List<Map<String, Object>> of(List<ServiceSpec> services, ServiceSources sources) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ServiceSpec service : services) {
            Map<String, Object> policies = changed(fields(ServiceFields.ALL, service::get), SERVICE_DEFAULTS,
                    NOT_POLICIES);
            policies.remove("aclName", service.serviceName()); // stored as the name unless set
            if (!service.users().isEmpty()) {
                policies.put("users", service.users().size());
            }
            if (!service.serviceCert().isEmpty()) {
                policies.put("serviceCert", "set");
            }
            for (DestinationSpec destination : service.destinations()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("service", service.serviceName());
                row.put("source", sources.of(service));
                row.put("hosts", destination.serviceDomain());
                row.put("paths", destination.servicePath());
                row.put("port", destination.port());
                row.put("srcPort", destination.srcPort());
                row.put("mode", destination.reqMode().isEmpty() ? "http" : destination.reqMode());
                row.put("rules", changed(fields(DestinationFields.ALL, destination::get), DESTINATION_DEFAULTS,
                        MATCH));
                row.put("policies", policies);
                rows.add(row);
            }
        }
        return rows;
    }

    /** The fields other than {@code skipped} whose values differ from {@code defaults}. */
    private static Map<String, Object> changed(Map<String, Object> fields, Map<String, Object> defaults,
                                               Set<String> skipped) {
        Map<String, Object> changed = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (!skipped.contains(name) && !Objects.equals(value, defaults.get(name))) {
                changed.put(name, value);
            }
        });
        return changed;
    }

    /** A spec's values by the names its state uses, in their declared order. */
    private static Map<String, Object> fields(List<Field<?>> fields, Function<Field<?>, Object> values) {
        Map<String, Object> byName = new LinkedHashMap<>();
        for (Field<?> field : fields) {
            if (field.stateName() != null) {
                byName.put(field.stateName(), values.apply(field));
            }
        }
        return byName;
    }
}
