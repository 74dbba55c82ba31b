package io.swarmgate.config;

import io.swarmgate.proxy.route.Backend;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.TaskBalancing;
import io.swarmgate.proxy.route.TaskBalancing.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a service into its routes: one per destination, sent to {@code outboundHostname} or else to the service name
 * on {@code port}: to its VIP, or with {@code discoveryType=DNS} balanced over its tasks ({@code tasks.<name>}) by the
 * proxy itself. A destination with only an {@code httpsPort} takes TLS traffic alone, so it has no route until the
 * proxy terminates TLS.
 */
final class RouteCompiler {
    private RouteCompiler() {
    }

    /** @throws InvalidServiceException (400) when a value is one the routing table does not accept */
    static List<Route> compile(ServiceSpec service) {
        List<Route> routes = new ArrayList<>();
        for (DestinationSpec destination : service.destinations()) {
            if (destination.port() == 0) {
                continue;
            }
            String host = destination.outboundHostname().isEmpty()
                    ? service.serviceName()
                    : destination.outboundHostname();
            try {
                routes.add(Route.builder(service.serviceName())
                        .aclName(service.aclName())
                        .index(destination.index())
                        .paths(destination.servicePath())
                        .domains(destination.serviceDomain())
                        // Requests for a domain it redirects from must reach the route to be redirected.
                        .domains(destination.redirectFromDomain())
                        .entryPort(destination.srcPort())
                        .backend(balancesTasks(service)
                                ? Backend.tasks(host, destination.port(), taskBalancing(service))
                                : Backend.of(host, destination.port()))
                        .filters(RouteRules.compile(service, destination))
                        .serverTimeout(RouteRules.serverTimeout(destination))
                        .build());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw InvalidServiceException.badRequest(e.getMessage());
            }
        }
        return routes;
    }

    private static TaskBalancing taskBalancing(ServiceSpec service) {
        return new TaskBalancing(service.balance().equals("leastconn") ? Policy.LEAST_REQUESTS : Policy.ROUND_ROBIN,
                service.healthCheckPath().isEmpty() ? null : service.healthCheckPath());
    }

    private static boolean balancesTasks(ServiceSpec service) {
        return "DNS".equalsIgnoreCase(service.discoveryType());
    }
}
