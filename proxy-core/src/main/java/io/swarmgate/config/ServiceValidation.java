package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import io.swarmgate.proxy.policy.IpRange;
import io.swarmgate.proxy.route.UpgradeProtocols;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The rules a service's values meet, whatever its source. The reconfigure parser applies them as it reads a request,
 * naming the parameters the request gave; the registry applies them to every service it is handed, so one taken over
 * from a peer or read back from {@code STATE_FILE}, which no parser has read, meets the same rules. A failure is a 400
 * naming the parameter ({@code name.N} for destination N) and the form it expects.
 */
final class ServiceValidation {
    /** HAProxy's path fetches that Docker Flow Proxy users put in {@code pathType}. */
    private static final List<String> PATH_TYPES = List.of("path_beg", "path", "path_dir", "path_end", "path_sub",
            "path_reg");

    private ServiceValidation() {
    }

    /** Every rule, on a whole service: each field's own, then those that involve several. */
    static void check(ServiceSpec service) {
        for (Field<?> field : ServiceFields.ALL) {
            check(field, field.parameter(), service::get);
        }
        if (service.destinations().isEmpty()) {
            throw InvalidServiceException.badRequest("port: missing (expected: 1-65535)");
        }
        for (DestinationSpec destination : service.destinations()) {
            UnaryOperator<String> name = n -> destination.index() > 0 ? n + "." + destination.index() : n;
            for (Field<?> field : DestinationFields.ALL) {
                check(field, field.parameter() == null ? null : name.apply(field.parameter()), destination::get);
            }
            destination(destination, name, name, true);
        }
        serviceValues(service);
    }

    /** A field's own rule, for a field a parameter sets. */
    private static <T> void check(Field<T> field, @Nullable String name, Function<Field<T>, T> values) {
        if (name != null) {
            field.check(name, values.apply(field));
        }
    }

    /** The rules that involve several service-level values, or the service's and its destinations'. */
    static void serviceValues(ServiceSpec service) {
        String healthCheckPath = service.healthCheckPath();
        String protocol = service.backendProtocol();
        boolean http1 = protocol.isEmpty() || protocol.equals("http1");
        if (!http1 && !healthCheckPath.isEmpty()) {
            // Health checks speak plain HTTP/1.1, which an h2c or TLS backend refuses: every task would be ejected.
            throw invalid("backendProtocol", protocol, "http1 with healthCheckPath");
        }
        if (service.destinations().stream().anyMatch(DestinationSpec::sslVerifyNone)) {
            // TLS to the backend: neither h2c nor the plain-HTTP health checks can speak to it.
            if (protocol.equals("h2c")) {
                throw invalid("sslVerifyNone", "true", "false with backendProtocol=h2c");
            }
            if (!healthCheckPath.isEmpty()) {
                throw invalid("sslVerifyNone", "true", "false with healthCheckPath");
            }
        }
        AcmeNames.check(service);
    }

    /**
     * @param valueName          the parameter that supplied a value, named when the value is bad
     * @param missingName        the parameter named when a value is missing
     * @param needsPathOrDomain  whether an http destination without path and domain is refused here (the parser
     *                           refuses the first one by DFP's own rule, with DFP's status)
     */
    static void destination(DestinationSpec d, UnaryOperator<String> valueName, UnaryOperator<String> missingName,
                            boolean needsPathOrDomain) {
        String reqMode = d.reqMode();
        boolean http = reqMode.isEmpty() || reqMode.equalsIgnoreCase("http");
        boolean sni = reqMode.equalsIgnoreCase("sni");
        if (sni) {
            StreamCompiler.serverNameMatch(valueName.apply("pathType"), d.pathType());
        } else if (!d.pathType().isEmpty() && !PATH_TYPES.contains(d.pathType())) {
            throw ParameterValues.unsupported(valueName.apply("pathType"), d.pathType(), String.join(", ", PATH_TYPES));
        }
        paths(d, http, valueName.apply("servicePath"));
        if (http && needsPathOrDomain && d.servicePath().isEmpty() && d.serviceDomain().isEmpty()) {
            throw InvalidServiceException.badRequest(missingName.apply("servicePath")
                    + ": missing (expected: a path starting with /, or " + missingName.apply("serviceDomain") + ")");
        }
        if (d.port() == 0 && (d.httpsPort() == 0 || !http)) {
            throw InvalidServiceException.badRequest(missingName.apply("port") + ": missing (expected: 1-65535)");
        }
        if (!http && d.srcPort() == 0) {
            throw InvalidServiceException.badRequest(missingName.apply("srcPort") + ": missing (expected: 1-65535, "
                    + "the proxy port a reqMode=" + reqMode + " destination listens on)");
        }
        upgradeProtocols(d, http, valueName.apply("upgradeProtocols"));
        ipLists(d, http, valueName);
        String proxyHeader = d.get(DestinationFields.BACKEND_PROXY_PROTOCOL);
        if (!http && !proxyHeader.isEmpty()) {
            throw invalid(valueName.apply("backendProxyProtocol"), proxyHeader, "no value with reqMode="
                    + d.reqMode() + ", whose connections carry the client's bytes alone");
        }
        RateLimits.parse(d, http, valueName);
        CorsRules.parse(d, http, valueName);
        SecurityHeaderRules.parse(d, http, valueName);
        CanaryRules.parse(d, http, valueName);
        MirrorRules.parse(d, http, valueName, null);
        d.guards().check(d.reqMode(), http, valueName);
    }

    /**
     * An http destination's paths start with /, except suffixes, substrings and regular expressions
     * ({@code pathType}); an sni destination's are server names (a tcp destination's are not used).
     */
    private static void paths(DestinationSpec d, boolean http, String name) {
        boolean prefixes = http && RouteConditions.matchesByPrefix(d.pathType());
        for (String path : d.servicePath()) {
            if (prefixes ? !path.startsWith("/") : path.isEmpty()) {
                throw invalid(name, path, prefixes ? "a path starting with /" : http ? "a value" : "server names");
            }
        }
    }

    /** {@code allowedIps} / {@code deniedIps}: CIDR blocks, for HTTP only (a tcp or sni destination has no 403). */
    private static void ipLists(DestinationSpec d, boolean http, UnaryOperator<String> valueName) {
        for (String parameter : List.of("allowedIps", "deniedIps")) {
            List<String> blocks = parameter.equals("allowedIps") ? d.allowedIps() : d.deniedIps();
            if (!http && !blocks.isEmpty()) {
                throw invalid(valueName.apply(parameter), String.join(",", blocks), "no value with reqMode="
                        + d.reqMode() + ", which has no requests to refuse");
            }
            ipRanges(valueName.apply(parameter), blocks);
        }
    }

    /** The blocks of {@code parameter}, refused with a 400 naming it when one is malformed. */
    static List<IpRange> ipRanges(String parameter, List<String> blocks) {
        List<IpRange> ranges = new ArrayList<>(blocks.size());
        for (String block : blocks) {
            try {
                ranges.add(IpRange.parse(block));
            } catch (IllegalArgumentException e) {
                throw invalid(parameter, block,
                        "CIDR blocks or addresses such as 10.0.0.0/8, 2001:db8::/32, 192.0.2.7");
            }
        }
        return ranges;
    }

    /**
     * Swarmgate's {@code upgradeProtocols}: upgrade tokens, never one to HTTP/2 (it would bypass the rules), and only
     * for HTTP: a tcp or sni destination relays bytes, whatever protocol they carry.
     */
    private static void upgradeProtocols(DestinationSpec d, boolean http, String name) {
        if (!http && !d.upgradeProtocols().isEmpty()) {
            throw invalid(name, String.join(",", d.upgradeProtocols()), "no value with reqMode=" + d.reqMode()
                    + ", which relays every byte as it is");
        }
        for (String protocol : d.upgradeProtocols()) {
            String refusal = UpgradeProtocols.refusal(protocol);
            if (refusal != null) {
                throw InvalidServiceException.badRequest(name + ": '" + protocol + "' (" + refusal + ")");
            }
        }
    }
}
