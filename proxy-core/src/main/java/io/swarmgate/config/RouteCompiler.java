package io.swarmgate.config;

import io.swarmgate.proxy.route.Backend;
import io.swarmgate.proxy.route.Compression;
import io.swarmgate.proxy.route.ConnectionMode;
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
    static List<Route> compile(ServiceSpec service, GlobalRules global) {
        List<Route> routes = new ArrayList<>();
        for (DestinationSpec destination : service.destinations()) {
            if (destination.port() == 0) {
                continue;
            }
            String host = destination.outboundHostname().isEmpty()
                    ? service.serviceName()
                    : destination.outboundHostname();
            try {
                boolean everyPath = RouteConditions.indexing(destination) == RouteConditions.Indexing.EVERY_PATH;
                boolean indexedDomains = RouteConditions.indexesDomains(service);
                routes.add(Route.builder(service.serviceName())
                        .aclName(service.aclName())
                        .index(destination.index())
                        // Suffixes, substrings and regular expressions are tested on every path the host takes.
                        .paths(everyPath ? List.of("/") : destination.servicePath())
                        .domains(indexedDomains ? destination.serviceDomain() : List.of())
                        // Requests for a domain it redirects from must reach the route to be redirected.
                        .domains(indexedDomains ? destination.redirectFromDomain() : List.of())
                        .entryPort(destination.srcPort())
                        .condition(RouteConditions.compile(service, destination))
                        .defaultRoute(service.isDefaultBackend())
                        .backend(balancesTasks(service, destination, global)
                                ? Backend.tasks(host, destination.port(), taskBalancing(service))
                                : Backend.of(host, destination.port()))
                        .filters(RouteRules.compile(service, destination, global))
                        .compression(compression(service, global))
                        .connectionMode(ConnectionMode.of(service.connectionMode().isEmpty()
                                ? global.connectionMode() : service.connectionMode()))
                        .serverTimeout(RouteRules.serverTimeout(destination))
                        .tunnelTimeout(RouteRules.tunnelTimeout(destination))
                        .build());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw InvalidServiceException.badRequest(e.getMessage());
            }
        }
        return routes;
    }

    /** The service's compressionAlgo/Type, else the global ones; {@code null} for no compression. */
    private static Compression compression(ServiceSpec service, GlobalRules global) {
        String algorithms = service.compressionAlgo().isEmpty() ? global.compressionAlgo() : service.compressionAlgo();
        if (algorithms.isBlank()) {
            return null;
        }
        String types = service.compressionType().isEmpty() ? global.compressionType() : service.compressionType();
        return new Compression(words(algorithms), words(types));
    }

    /** HAProxy's lists: space-separated (commas tolerated). */
    private static List<String> words(String text) {
        return java.util.Arrays.stream(text.split("[\\s,]+")).filter(w -> !w.isEmpty()).toList();
    }

    private static TaskBalancing taskBalancing(ServiceSpec service) {
        return new TaskBalancing(service.balance().equals("leastconn") ? Policy.LEAST_REQUESTS : Policy.ROUND_ROBIN,
                service.healthCheckPath().isEmpty() ? null : service.healthCheckPath(),
                service.sessionType().equals("sticky-server"));
    }

    /**
     * {@code discoveryType=DNS} balances over the tasks; a service that names no discovery type follows the global
     * default, unless its destination is an {@code outboundHostname} outside the swarm.
     */
    private static boolean balancesTasks(ServiceSpec service, DestinationSpec destination, GlobalRules global) {
        String type = service.discoveryType().isEmpty() && destination.outboundHostname().isEmpty()
                ? global.discoveryType() : service.discoveryType();
        return "DNS".equalsIgnoreCase(type);
    }
}
