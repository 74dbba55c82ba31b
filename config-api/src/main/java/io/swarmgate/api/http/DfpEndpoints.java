package io.swarmgate.api.http;

import io.swarmgate.api.json.DfpJson;
import io.swarmgate.api.metrics.SwarmgateMetrics;
import io.swarmgate.api.replicas.ConfigVersion;
import io.swarmgate.config.InvalidServiceException;
import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tcp.StreamTable;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker Flow Proxy's configuration endpoints, answering with its status codes and JSON. Each takes the decoded query
 * parameters. {@link #reconfigure} and {@link #remove} return once the new routing table is published.
 */
final class DfpEndpoints {
    private static final Logger log = LoggerFactory.getLogger(DfpEndpoints.class);

    private final ServiceRegistry registry;
    private final ReconfigureParameters parser;
    private final SwarmgateMetrics metrics;
    private final Supplier<Map<String, String>> quarantined;
    private final ConfigVersion version;

    DfpEndpoints(ServiceRegistry registry, ReconfigureParameters parser, SwarmgateMetrics metrics,
                 Supplier<Map<String, String>> quarantined, ConfigVersion version) {
        this.registry = registry;
        this.version = version;
        this.parser = parser;
        this.metrics = metrics;
        this.quarantined = quarantined;
    }

    /**
     * Adds or replaces a service; echoes the service as parsed (before its stored defaults are filled in). A service
     * for another proxy ({@code FILTER_PROXY_INSTANCE_NAME}) is answered 200, as in DFP, and left alone; the
     * {@code Message} says so, and names the parameters accepted only with a warning.
     */
    ApiAnswer reconfigure(Map<String, List<String>> query) {
        try {
            ServiceSpec service = parser.parse(query);
            String notForThisProxy = parser.compatibility().notForThisProxy(service);
            if (notForThisProxy != null) {
                log.info("Reconfigure of {} ignored: {}", service.serviceName(), notForThisProxy);
                return ApiAnswer.json(200, DfpJson.ok(service, notForThisProxy));
            }
            registry.apply(service);
            metrics.configChanged(true);
            List<String> warnings = parser.warnings(query);
            if (warnings.isEmpty()) {
                log.info("Reconfigured {}", service.serviceName());
                return ApiAnswer.json(200, DfpJson.ok(service));
            }
            String warning = String.join("; ", warnings);
            log.warn("Reconfigured {} with a warning: {}", service.serviceName(), warning);
            return ApiAnswer.json(200, DfpJson.ok(service, warning));
        } catch (InvalidServiceException e) {
            return rejected(e, query);
        }
    }

    /** DFP's checks of a reconfigure before it is distributed: the parsing, without applying it. */
    Distribution.Checked checkReconfigure(Map<String, List<String>> query) {
        try {
            ServiceSpec service = parser.parse(query);
            return Distribution.Checked.accepted(service.serviceName(),
                    ApiAnswer.json(200, DfpJson.distributed(service)));
        } catch (InvalidServiceException e) {
            return Distribution.Checked.rejected(rejected(e, query));
        }
    }

    private ApiAnswer rejected(InvalidServiceException e, Map<String, List<String>> query) {
        metrics.configChanged(false);
        String serviceName = ReconfigureParameters.serviceName(query);
        log.info("Rejected reconfigure of '{}' ({}): {}", serviceName, e.httpStatus(), e.getMessage());
        return ApiAnswer.json(e.httpStatus(), DfpJson.failure(e.getMessage(), serviceName));
    }

    /** Removes a service; an unknown one is still a success, as in DFP. */
    ApiAnswer remove(Map<String, List<String>> query) {
        String serviceName = ReconfigureParameters.serviceName(query);
        if (serviceName.isEmpty()) {
            return noServiceName();
        }
        registry.remove(serviceName);
        metrics.configChanged(true);
        log.info("Removed {}", serviceName);
        return ApiAnswer.json(200, DfpJson.ok(serviceName));
    }

    /** DFP's check of a remove before it is distributed. */
    Distribution.Checked checkRemove(Map<String, List<String>> query) {
        String serviceName = ReconfigureParameters.serviceName(query);
        return serviceName.isEmpty() ? Distribution.Checked.rejected(noServiceName())
                : Distribution.Checked.accepted(serviceName, ApiAnswer.json(200, DfpJson.distributed(serviceName)));
    }

    /**
     * The routing table as text, or with {@code type=json} the stored services as DFP lists them, followed by the
     * quarantined Swarm services, if any.
     */
    ApiAnswer config(Map<String, List<String>> query) {
        List<String> type = query.getOrDefault("type", List.of());
        if (!type.isEmpty() && type.get(0).equalsIgnoreCase("json")) {
            return ApiAnswer.json(200, DfpJson.services(registry.services(), quarantined.get()));
        }
        RouteTable table = registry.routes();
        StreamTable streams = registry.streams();
        int services = registry.services().size();
        String header = "# Swarmgate routing table: " + services + (services == 1 ? " service, " : " services, ")
                + table.size() + (table.size() == 1 ? " route\n" : " routes\n");
        String tcp = streams.isEmpty() ? "" : "\n# TCP routes: " + streams.size() + "\n" + streams.describe();
        return ApiAnswer.text(200, header + table.describe() + tcp);
    }

    /** The version of the table: equal on replicas that hold equal tables. */
    ApiAnswer version() {
        ConfigVersion.Reading reading = version.current();
        return ApiAnswer.json(200, DfpJson.version(reading.version(), reading.services()));
    }

    ApiAnswer ping() {
        return ApiAnswer.json(200, DfpJson.ok(""));
    }

    /** Written when asked, not as a constant: JSON at class initialisation would load Jackson at start. */
    private static ApiAnswer noServiceName() {
        return ApiAnswer.json(400, DfpJson.failure("The serviceName query is mandatory", ""));
    }
}
