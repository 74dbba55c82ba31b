package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a service from Docker Flow Proxy's {@code reconfigure} parameters, with DFP's rules and status codes.
 *
 * <p>Service-level names match case-insensitively, destination names exactly. Destinations indexed {@code .1} to
 * {@code .10} exist while one of {@code servicePath.N}, {@code port.N}, {@code serviceDomain.N}, {@code httpsPort.N}
 * is present (the scan stops at the first gap); when any exists the un-indexed destination is dropped, and every
 * indexed value that is absent falls back to the un-indexed one. Lists split on the separator, booleans read as Go's
 * {@code ParseBool}, a destination with a domain but no path gets the path {@code /}, and unknown names are ignored.
 *
 * <p>Unlike DFP, which turns a bad number or boolean into 0 or false and validates only the first destination, every
 * destination is checked and any bad value is a 400 naming the parameter and the form it expects. DFP's parameters that
 * have no behaviour here ({@code backendExtra}, templates, TCP groups) are refused the same way, unless
 * {@link Compatibility#warnOnUnsupported()} accepts them with a warning.
 */
public final class ReconfigureParameters {
    private static final int MAX_INDEX = 10;

    private final String separator;
    private final boolean httpsOnly;
    private final Compatibility compatibility;

    /**
     * @param separator list separator (DFP's {@code SEPARATOR}, default {@code ,})
     * @param httpsOnly redirect every destination to https (DFP's {@code HTTPS_ONLY})
     */
    public ReconfigureParameters(String separator, boolean httpsOnly) {
        this(separator, httpsOnly, Compatibility.STRICT);
    }

    /**
     * @param separator     list separator (DFP's {@code SEPARATOR}, default {@code ,})
     * @param httpsOnly     redirect every destination to https (DFP's {@code HTTPS_ONLY})
     * @param compatibility how DFP's parameters without behaviour here are met, and which services are for this proxy
     */
    public ReconfigureParameters(String separator, boolean httpsOnly, Compatibility compatibility) {
        Objects.requireNonNull(separator, "separator");
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("separator: must not be empty");
        }
        this.separator = separator;
        this.httpsOnly = httpsOnly;
        this.compatibility = Objects.requireNonNull(compatibility, "compatibility");
    }

    public static ReconfigureParameters defaults() {
        return new ReconfigureParameters(",", false);
    }

    /** The {@code serviceName} parameter, matched case-insensitively as DFP does, or empty. */
    public static String serviceName(Map<String, List<String>> parameters) {
        return new QueryParameters(parameters).anyCase("serviceName");
    }

    /** The {@code distribute} parameter, any case, read as Go's ParseBool (an invalid value is false), as in DFP. */
    public static boolean distribute(Map<String, List<String>> parameters) {
        return Boolean.TRUE.equals(GoBooleans.parse(new QueryParameters(parameters).anyCase("distribute")));
    }

    /**
     * The unsupported parameters that {@link #parse} accepted only because {@code UNSUPPORTED_PARAMETERS=warn}, each as
     * a warning naming it and what to use instead; empty when there are none.
     */
    public List<String> warnings(Map<String, List<String>> parameters) {
        return compatibility.warnOnUnsupported() ? compatibility.unsupported(parameters) : List.of();
    }

    /** Which services are for this proxy ({@code FILTER_PROXY_INSTANCE_NAME}). */
    public Compatibility compatibility() {
        return compatibility;
    }

    /**
     * Reads one service.
     *
     * @param parameters parameter names to their values, as decoded from a query string
     * @throws InvalidServiceException with DFP's status and message, or a 400 naming a bad value
     */
    public ServiceSpec parse(Map<String, List<String>> parameters) {
        QueryParameters query = new QueryParameters(parameters);
        String serviceName = query.anyCase("serviceName");
        if (serviceName.isEmpty()) {
            throw InvalidServiceException.badRequest("serviceName parameter is mandatory.");
        }
        compatibility.unsupported(parameters);
        List<DestinationParameters> destinations = destinations(query);
        checkAsDfp(destinations.get(0));
        ServiceValidation.serviceName(serviceName);
        boolean everyDestinationHttpsOnly = httpsOnly || ParameterValues.bool("httpsOnly", query.exact("httpsOnly"));
        List<DestinationSpec> specs = new ArrayList<>();
        for (DestinationParameters destination : destinations) {
            specs.add(destination(destination, specs.isEmpty(), everyDestinationHttpsOnly));
        }
        ServiceSpec service = service(query, serviceName).destinations(specs).build();
        ServiceValidation.serviceValues(service);
        if (!service.serviceCert().isEmpty()) {
            ServiceCertificates.of(service); // refused here, with the reason, rather than when it is applied
        }
        return service;
    }

    private static List<DestinationParameters> destinations(QueryParameters query) {
        List<DestinationParameters> indexed = new ArrayList<>();
        for (int i = 1; i <= MAX_INDEX; i++) {
            DestinationParameters destination = DestinationParameters.indexed(query, i);
            if (destination == null) {
                break;
            }
            indexed.add(destination);
        }
        return indexed.isEmpty() ? List.of(DestinationParameters.unindexed(query)) : indexed;
    }

    /** DFP's own checks, in its order, with its codes and messages; they look at the first destination only. */
    private static void checkAsDfp(DestinationParameters first) {
        boolean hasPathOrDomain = !first.get("servicePath").isEmpty() || !first.get("serviceDomain").isEmpty();
        if (isHttp(first.get("reqMode"))) {
            if (!hasPathOrDomain) {
                throw new InvalidServiceException(InvalidServiceException.CONFLICT,
                        "When using reqMode http, servicePath or serviceDomain are mandatory");
            }
        } else if (first.get("srcPort").isEmpty() || first.get("port").isEmpty()) {
            throw InvalidServiceException.badRequest(
                    "When NOT using reqMode http (e.g. tcp), srcPort and port parameters are mandatory.");
        }
        if (first.get("port").isEmpty() && first.get("httpsPort").isEmpty()) {
            throw InvalidServiceException.badRequest(
                    "port: missing (expected: 1-65535; or httpsPort)");
        }
    }

    private static boolean isHttp(String reqMode) {
        return reqMode.isEmpty() || reqMode.equalsIgnoreCase("http");
    }

    private DestinationSpec destination(DestinationParameters d, boolean first, boolean everyHttpsOnly) {
        String reqMode = d.get("reqMode");
        boolean http = isHttp(reqMode);
        List<String> domains = list(d.get("serviceDomain"));
        List<String> paths = list(d.get("servicePath"));
        DestinationSpec destination = DestinationSpec.builder()
                .allowedMethods(list(d.get("allowedMethods")))
                .balanceGroup(d.get("balanceGroup"))
                .checkTcp(bool(d, "checkTcp"))
                .clitcpka(bool(d, "clitcpka"))
                .deniedMethods(list(d.get("deniedMethods")))
                .denyHttp(bool(d, "denyHttp"))
                .httpsOnly(everyHttpsOnly || bool(d, "httpsOnly"))
                .httpsPort(port(d, "httpsPort"))
                .httpsRedirectCode(d.get("httpsRedirectCode"))
                .ignoreAuthorization(bool(d, "ignoreAuthorization"))
                .outboundHostname(d.get("outboundHostname"))
                .pathType(d.get("pathType"))
                .port(port(d, "port"))
                .redirectFromDomain(list(d.get("redirectFromDomain")))
                .reqMode(reqMode.isEmpty() ? "http" : reqMode)
                .reqPathSearchReplace(d.get("reqPathSearchReplace"))
                .serviceDomain(domains)
                .serviceGroup(d.get("serviceGroup"))
                .serviceHeader(headers(d))
                .servicePath(http && paths.isEmpty() && !domains.isEmpty() ? List.of("/") : paths)
                .servicePathExclude(list(d.get("servicePathExclude")))
                .srcPort(port(d, "srcPort"))
                .srcHttpsPort(port(d, "srcHttpsPort"))
                .sslVerifyNone(bool(d, "sslVerifyNone"))
                .timeoutServer(d.get("timeoutServer"))
                .timeoutClient(d.get("timeoutClient"))
                .timeoutTunnel(d.get("timeoutTunnel"))
                .verifyClientSsl(bool(d, "verifyClientSsl"))
                .userAgent(list(d.get("userAgent")))
                .userDef(d.get("userDef"))
                .index(d.index())
                .upgradeProtocols(list(d.get("upgradeProtocols")))
                .allowedIps(list(d.get("allowedIps")))
                .deniedIps(list(d.get("deniedIps")))
                .rateLimit(d.get("rateLimit"))
                .rateLimitBurst(d.get("rateLimitBurst"))
                .rateLimitBy(d.get("rateLimitBy"))
                .corsAllowOrigins(list(d.get("corsAllowOrigins")))
                .corsAllowMethods(list(d.get("corsAllowMethods")))
                .corsAllowHeaders(list(d.get("corsAllowHeaders")))
                .corsMaxAge(d.get("corsMaxAge"))
                .guards(DestinationGuards.read(d::get, name -> list(d.get(name))))
                .build();
        ServiceValidation.destination(destination, d::sourceOf, d::indexedName, !first);
        return destination;
    }

    private static boolean bool(DestinationParameters d, String name) {
        return ParameterValues.bool(d.sourceOf(name), d.get(name));
    }

    private static boolean bool(QueryParameters query, String name) {
        return ParameterValues.bool(name, query.anyCase(name));
    }

    private static int port(DestinationParameters d, String name) {
        return ParameterValues.port(d.sourceOf(name), d.get(name));
    }

    /** {@code Name:value} pairs; the value may itself contain colons. */
    private Map<String, String> headers(DestinationParameters d) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String pair : list(d.get("serviceHeader"))) {
            int colon = pair.indexOf(':');
            String name = colon < 0 ? "" : pair.substring(0, colon).strip();
            if (name.isEmpty()) {
                throw invalid(d.sourceOf("serviceHeader"), pair, "Name:value pairs");
            }
            headers.put(name, pair.substring(colon + 1).strip());
        }
        return headers;
    }

    private ServiceSpec.Builder service(QueryParameters query, String serviceName) {
        String replicas = query.anyCase("replicas");
        String serviceDomainAlgo = "true".equalsIgnoreCase(query.anyCase("serviceDomainMatchAll"))
                ? "hdr_dom(host)" // the deprecated serviceDomainMatchAll=true, as DFP still maps it
                : query.anyCase("serviceDomainAlgo");
        return ServiceSpec.builder(serviceName)
                .aclName(query.anyCase("aclName"))
                .addReqHeader(listWithAlias(query, "addReqHeader", "addHeader"))
                .addResHeader(list(query.anyCase("addResHeader")))
                .backendExtra(query.anyCase("backendExtra"))
                .checkResolvers(bool(query, "checkResolvers"))
                .compressionAlgo(query.anyCase("compressionAlgo"))
                .compressionType(query.anyCase("compressionType"))
                .connectionMode(query.anyCase("connectionMode"))
                .delReqHeader(list(query.anyCase("delReqHeader")))
                .delResHeader(list(query.anyCase("delResHeader")))
                .discoveryType(query.anyCase("discoveryType"))
                .distribute(bool(query, "distribute"))
                .isDefaultBackend(bool(query, "isDefaultBackend"))
                .proxyInstanceName(query.anyCase("proxyInstanceName"))
                .redirectWhenHttpProto(bool(query, "redirectWhenHttpProto"))
                .redirectUnlessHttpsProto(bool(query, "redirectUnlessHttpsProto"))
                .replicas(replicas.isEmpty() ? 0 : ParameterValues.nonNegative("replicas", replicas))
                .global(replicas.isEmpty())
                .reqPathReplace(query.anyCase("reqPathReplace"))
                .reqPathSearch(query.anyCase("reqPathSearch"))
                .serviceCert(ServiceCertificates.normalisePem(query.anyCase("serviceCert")))
                .serviceDomainAlgo(serviceDomainAlgo)
                .sessionType(query.anyCase("sessionType"))
                .setReqHeader(listWithAlias(query, "setReqHeader", "setHeader"))
                .setResHeader(list(query.anyCase("setResHeader")))
                .templateBePath(query.anyCase("templateBePath"))
                .templateFePath(query.anyCase("templateFePath"))
                .users(User.parseList("users", query.anyCase("users"), bool(query, "usersPassEncrypted")))
                .usersSecret(query.anyCase("usersSecret"))
                .balance(query.anyCase("balance"))
                .healthCheckPath(query.anyCase("healthCheckPath"))
                .backendProtocol(backendProtocol(query.anyCase("backendProtocol")))
                .maxRequestBodyBytes(ParameterValues.byteSize("maxRequestBodySize", query.anyCase("maxRequestBodySize")))
                .letsencryptHost(list(query.anyCase(AcmeNames.HOST_PARAMETER)))
                .letsencryptEmail(query.anyCase(AcmeNames.EMAIL_PARAMETER));
    }

    /** {@code http1} is the default, stored as empty. */
    private static String backendProtocol(String raw) {
        return raw.equals("http1") ? "" : raw;
    }

    /** A list parameter, or its deprecated alias when it is absent. */
    private List<String> listWithAlias(QueryParameters query, String name, String deprecatedAlias) {
        String value = query.anyCase(name);
        return list(value.isEmpty() ? query.anyCase(deprecatedAlias) : value);
    }

    private List<String> list(String raw) {
        return ParameterValues.list(raw, separator);
    }
}
