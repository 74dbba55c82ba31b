package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import io.swarmgate.proxy.tcp.ServerNameRule;
import io.swarmgate.proxy.tcp.ServerNameRule.Match;
import io.swarmgate.proxy.tcp.StreamRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a service's {@code reqMode=tcp} and {@code reqMode=sni} destinations into TCP routes on their {@code srcPort},
 * to the same backend an HTTP destination would get ({@code outboundHostname}, the VIP, or the tasks).
 *
 * <ul>
 *   <li>{@code sni}: the {@code servicePath} values are server names, compared as {@code pathType} says
 *   ({@code req_ssl_sni -i -m beg}: prefixes; {@code -m end}, {@code -m sub}, {@code -m reg}; otherwise the whole
 *   name); without any, the destination is its port's default.</li>
 *   <li>{@code tcp}: with {@code serviceDomainAlgo=req.ssl_sni}, the {@code serviceDomain} values are server names
 *   ({@code *.example.com} a wildcard); without a domain, the destination is its port's default.</li>
 * </ul>
 * The relay may stay silent for {@code timeoutClient} or {@code timeoutServer} seconds, whichever is shorter; when
 * neither is given, for {@code timeoutTunnel} (one hour by default, the tunnel timeout HAProxy applies to DFP's tcp
 * frontends).
 */
final class StreamCompiler {
    private StreamCompiler() {
    }

    /** @throws InvalidServiceException (400) when a value is one the TCP routes do not accept */
    static List<StreamRoute> compile(ServiceSpec service, GlobalRules global) {
        List<StreamRoute> routes = new ArrayList<>();
        for (DestinationSpec destination : service.destinations()) {
            if (!destination.relaysTcp()) {
                continue;
            }
            try {
                StreamRoute.Builder route = StreamRoute.builder(service.serviceName())
                        .aclName(service.aclName())
                        .index(destination.index())
                        .port(destination.srcPort())
                        .serverNames(serverNames(service, destination))
                        .backend(RouteCompiler.backend(service, destination, global, destination.port()))
                        .clientKeepAlive(destination.clitcpka());
                Duration idle = idleTimeout(destination);
                if (idle != null) {
                    route.idleTimeout(idle);
                }
                routes.add(route.build());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw InvalidServiceException.badRequest(e.getMessage());
            }
        }
        return routes;
    }

    private static List<ServerNameRule> serverNames(ServiceSpec service, DestinationSpec destination) {
        if (destination.passesTlsThrough()) {
            Match match = serverNameMatch("pathType", destination.pathType());
            if (match == Match.REGEX) {
                // Bounded as path_reg's patterns are: a client's name is matched against each on every connection.
                destination.servicePath().forEach(name -> UserPatterns.checkSize("servicePath", name));
            }
            return destination.servicePath().stream().map(name -> ServerNameRule.of(match, name)).toList();
        }
        if (destination.serviceDomain().isEmpty()) {
            return List.of();
        }
        String algo = service.serviceDomainAlgo();
        if (!algo.equals("req.ssl_sni") && !algo.equals("req_ssl_sni")) {
            throw invalid("serviceDomainAlgo", algo, "req.ssl_sni for a reqMode=tcp destination with a serviceDomain");
        }
        return destination.serviceDomain().stream().map(ServerNameRule::domain).toList();
    }

    /**
     * How an sni destination's {@code pathType} compares server names: HAProxy's {@code req_ssl_sni} (or
     * {@code req.ssl_sni}) with {@code -i} (names compare without case anyway) and {@code -m str|beg|end|sub|reg};
     * empty, or the stored default {@code path_beg}, compares whole names.
     *
     * @param parameter the parameter's name, for the message
     * @throws InvalidServiceException (400) for any other value
     */
    static Match serverNameMatch(String parameter, String pathType) {
        if (pathType.isEmpty() || pathType.equals(DestinationSpec.PATH_BEG)) {
            return Match.EXACT;
        }
        String[] words = pathType.strip().split("\\s+");
        if (!words[0].equals("req_ssl_sni") && !words[0].equals("req.ssl_sni")) {
            throw unsupportedPathType(parameter, pathType);
        }
        Match match = Match.EXACT;
        for (int i = 1; i < words.length; i++) {
            if (words[i].equals("-i")) {
                continue;
            }
            if (!words[i].equals("-m") || i + 1 == words.length) {
                throw unsupportedPathType(parameter, pathType);
            }
            match = switch (words[++i]) {
                case "str" -> Match.EXACT;
                case "beg" -> Match.PREFIX;
                case "end" -> Match.SUFFIX;
                case "sub" -> Match.SUBSTRING;
                case "reg" -> Match.REGEX;
                default -> throw unsupportedPathType(parameter, pathType);
            };
        }
        return match;
    }

    private static InvalidServiceException unsupportedPathType(String parameter, String pathType) {
        return invalid(parameter, pathType, "req_ssl_sni with -i and -m str, beg, end, sub or reg, for reqMode=sni");
    }

    /** The shorter of timeoutClient and timeoutServer, else timeoutTunnel; {@code null} for the default. */
    private static Duration idleTimeout(DestinationSpec destination) {
        Duration client = RouteRules.clientTimeout(destination);
        Duration server = RouteRules.serverTimeout(destination);
        if (client != null && server != null) {
            return client.compareTo(server) <= 0 ? client : server;
        }
        if (client != null || server != null) {
            return client != null ? client : server;
        }
        return RouteRules.tunnelTimeout(destination);
    }
}
