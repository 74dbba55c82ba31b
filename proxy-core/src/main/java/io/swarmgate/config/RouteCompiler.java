package io.swarmgate.config;

import io.swarmgate.proxy.policy.Compression;
import io.swarmgate.proxy.route.ConnectionMode;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.UpgradeProtocols;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.proxy.upstream.BackendProtocol;
import io.swarmgate.proxy.upstream.ProxyHeader;
import io.swarmgate.proxy.upstream.TaskBalancing;
import io.swarmgate.proxy.upstream.TaskBalancing.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a service into its routes: one per destination, sent to {@code outboundHostname} or else to the service name
 * on {@code port}: to its VIP, or with {@code discoveryType=DNS} balanced over its tasks ({@code tasks.<name>}) by the
 * proxy itself. A destination with an {@code httpsPort} gets a second route for TLS traffic arriving on
 * {@code srcHttpsPort} (443 by default) to that port; with only an {@code httpsPort}, it takes TLS traffic alone.
 */
final class RouteCompiler {
    private static final int DEFAULT_HTTPS_PORT = 443;
    private RouteCompiler() {
    }

    /** @throws InvalidServiceException (400) when a value is one the routing table does not accept */
    static List<Route> compile(ServiceSpec service, GlobalRules global) {
        List<Route> routes = new ArrayList<>();
        for (DestinationSpec destination : service.destinations()) {
            if (destination.relaysTcp()) {
                continue; // StreamCompiler's
            }
            try {
                if (destination.port() != 0) {
                    routes.add(route(service, destination, global, destination.port(), destination.srcPort()));
                }
                if (destination.httpsPort() != 0) {
                    // TLS traffic, on srcHttpsPort (443 by default), goes to the service's httpsPort instead.
                    int entryPort = destination.srcHttpsPort() != 0 ? destination.srcHttpsPort() : DEFAULT_HTTPS_PORT;
                    routes.add(route(service, destination, global, destination.httpsPort(), entryPort));
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw InvalidServiceException.badRequest(e.getMessage());
            }
        }
        return routes;
    }

    private static Route route(ServiceSpec service, DestinationSpec destination, GlobalRules global, int port,
                               int entryPort) {
        boolean everyPath = RouteConditions.indexing(destination) == RouteConditions.Indexing.EVERY_PATH;
        boolean indexedDomains = RouteConditions.indexesDomains(service);
        Backend backend = backend(service, destination, global, port).protocol(protocol(service, destination))
                .proxyHeader(proxyHeader(destination));
        return Route.builder(service.serviceName())
                .aclName(service.aclName())
                .index(destination.index())
                // Suffixes, substrings and regular expressions are tested on every path the host takes.
                .paths(everyPath ? List.of("/") : destination.servicePath())
                .domains(indexedDomains ? destination.serviceDomain() : List.of())
                // Requests for a domain it redirects from must reach the route to be redirected.
                .domains(indexedDomains ? destination.redirectFromDomain() : List.of())
                .entryPort(entryPort)
                .condition(RouteConditions.compile(service, destination))
                .defaultRoute(service.isDefaultBackend())
                .backend(backend)
                .policies(RouteRules.compile(service, destination, global, backend))
                .connectionMode(ConnectionMode.of(service.connectionMode().isEmpty()
                        ? global.connectionMode() : service.connectionMode()))
                .upgradeProtocols(UpgradeProtocols.of(destination.upgradeProtocols()))
                .build();
    }

    /** {@code backendProtocol}, with DFP's {@code sslVerifyNone} meaning TLS without checking the backend. */
    private static BackendProtocol protocol(ServiceSpec service, DestinationSpec destination) {
        if (destination.sslVerifyNone()) {
            return BackendProtocol.HTTPS_UNVERIFIED;
        }
        return switch (service.backendProtocol()) {
            case "h2c" -> BackendProtocol.H2C;
            case "https" -> BackendProtocol.HTTPS;
            default -> BackendProtocol.HTTP1;
        };
    }

    /** {@code backendProxyProtocol}, checked as its field was read. */
    private static ProxyHeader proxyHeader(DestinationSpec destination) {
        return switch (destination.get(DestinationFields.BACKEND_PROXY_PROTOCOL)) {
            case "v1" -> ProxyHeader.V1;
            case "v2" -> ProxyHeader.V2;
            default -> ProxyHeader.NONE;
        };
    }

    /** The service's compressionAlgo/Type, else the global ones; {@code null} for no compression. */
    static Compression compression(ServiceSpec service, GlobalRules global) {
        String algorithms = service.compressionAlgo().isEmpty() ? global.compressionAlgo() : service.compressionAlgo();
        if (algorithms.isBlank()) {
            return null;
        }
        String types = service.compressionType().isEmpty() ? global.compressionType() : service.compressionType();
        return new Compression(words(algorithms), words(types));
    }

    /** HAProxy's lists: space-separated (commas tolerated). */
    static List<String> words(String text) {
        return java.util.Arrays.stream(text.split("[\\s,]+")).filter(w -> !w.isEmpty()).toList();
    }

    /**
     * The destination's backend on {@code port}: {@code outboundHostname}, or the service by name (its VIP) or balanced
     * over its tasks, with {@code checkTcp}'s connection checks when the destination asks for them.
     */
    static Backend backend(ServiceSpec service, DestinationSpec destination, GlobalRules global, int port) {
        String host = destination.outboundHostname().isEmpty()
                ? service.serviceName()
                : destination.outboundHostname();
        return balancesTasks(service, destination, global)
                ? Backend.tasks(host, port, taskBalancing(service, destination.checkTcp()))
                : Backend.of(host, port);
    }

    private static TaskBalancing taskBalancing(ServiceSpec service, boolean connectCheck) {
        return new TaskBalancing(service.balance().equals("leastconn") ? Policy.LEAST_REQUESTS : Policy.ROUND_ROBIN,
                service.healthCheckPath().isEmpty() ? null : service.healthCheckPath(),
                service.sessionType().equals("sticky-server"), connectCheck);
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
