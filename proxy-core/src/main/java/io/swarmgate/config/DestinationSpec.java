package io.swarmgate.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One destination of a service, as Docker Flow Proxy's {@code ServiceDest}: which requests it takes and where they go.
 * Components follow DFP's field order; a list or map that was not given is empty, a string is empty, a number is 0.
 * Only what the routing core honours is interpreted (see {@code RouteCompiler}); the rest is kept so that every source
 * of configuration round-trips and later features can read it.
 *
 * @param allowedMethods       methods let through; others are denied
 * @param balanceGroup         balance mode of a tcp service group
 * @param checkTcp             tcp health check of the backend
 * @param clitcpka             tcp keep-alive towards clients
 * @param deniedMethods        methods denied
 * @param denyHttp             deny requests that did not arrive over TLS
 * @param httpsOnly            redirect plain http requests to https
 * @param httpsPort            the service's port for traffic that arrived over TLS, 0 for none
 * @param httpsRedirectCode    status code of the https redirect, empty for the default
 * @param ignoreAuthorization  skip basic auth for this destination
 * @param outboundHostname     backend host used instead of the service name, empty for none
 * @param pathType             how {@code servicePath} matches; empty means {@code path_beg} (raw prefix)
 * @param port                 the service's port, 0 when only {@code httpsPort} is given
 * @param redirectFromDomain   host names redirected to the first {@code serviceDomain}
 * @param reqMode              {@code http}, {@code tcp} or {@code sni}
 * @param reqPathSearchReplace {@code search,replace} pairs separated by {@code :}
 * @param serviceDomain        host names, exact or {@code *.example.com}; empty for any host
 * @param serviceGroup         tcp service group
 * @param serviceHeader        request headers that must all be present with these exact values
 * @param servicePath          path prefixes
 * @param servicePathExclude   path prefixes that must not match
 * @param srcPort              the proxy port the request must arrive on, 0 for any
 * @param srcHttpsPort         the proxy port for TLS traffic to {@code httpsPort}, 0 for the default
 * @param sslVerifyNone        connect to the backend over TLS without verifying it
 * @param timeoutServer        backend inactivity timeout in seconds, empty for the global one
 * @param timeoutClient        client inactivity timeout in seconds (tcp), empty for the global one
 * @param timeoutTunnel        tunnel (WebSocket) inactivity timeout in seconds, empty for the global one
 * @param verifyClientSsl      require a verified client certificate
 * @param userAgent            User-Agent substrings of which one must match, empty for any
 * @param userDef              a free value for custom templates
 * @param index                0 for the un-indexed destination, N for the parameters suffixed {@code .N}
 * @param upgradeProtocols     Swarmgate's own: the protocol upgrades relayed besides WebSocket, as given
 * @param allowedIps           Swarmgate's own: CIDR blocks of the client addresses let through; others get 403
 * @param deniedIps            Swarmgate's own: CIDR blocks of the client addresses refused with 403
 * @param rateLimit            Swarmgate's own: the average rate a client may send at, {@code <n>/s} or {@code <n>/m},
 *                             as given; empty for none
 * @param rateLimitBurst       Swarmgate's own: the requests a client may send at once, as given; empty for the rate's
 *                             {@code <n>}
 * @param rateLimitBy          Swarmgate's own: what keys the rate limit, {@code client} (empty) or
 *                             {@code header:<Name>}
 * @param corsAllowOrigins     Swarmgate's own: the origin (or {@code *}) allowed cross-origin requests; empty for no
 *                             CORS answers
 * @param corsAllowMethods     Swarmgate's own: the methods a preflight allows besides GET, HEAD and POST
 * @param corsAllowHeaders     Swarmgate's own: the request headers a preflight allows
 * @param corsMaxAge           Swarmgate's own: the seconds a browser keeps a preflight's answer, as given
 * @param guards               Swarmgate's own: forward auth and the other guards of the backend, as given
 */
public record DestinationSpec(
        List<String> allowedMethods,
        String balanceGroup,
        boolean checkTcp,
        boolean clitcpka,
        List<String> deniedMethods,
        boolean denyHttp,
        boolean httpsOnly,
        int httpsPort,
        String httpsRedirectCode,
        boolean ignoreAuthorization,
        String outboundHostname,
        String pathType,
        int port,
        List<String> redirectFromDomain,
        String reqMode,
        String reqPathSearchReplace,
        List<String> serviceDomain,
        String serviceGroup,
        Map<String, String> serviceHeader,
        List<String> servicePath,
        List<String> servicePathExclude,
        int srcPort,
        int srcHttpsPort,
        boolean sslVerifyNone,
        String timeoutServer,
        String timeoutClient,
        String timeoutTunnel,
        boolean verifyClientSsl,
        List<String> userAgent,
        String userDef,
        int index,
        List<String> upgradeProtocols,
        List<String> allowedIps,
        List<String> deniedIps,
        String rateLimit,
        String rateLimitBurst,
        String rateLimitBy,
        List<String> corsAllowOrigins,
        List<String> corsAllowMethods,
        List<String> corsAllowHeaders,
        String corsMaxAge,
        DestinationGuards guards) {

    /** The {@code pathType} stored for a destination that gave none: a raw prefix match. */
    public static final String PATH_BEG = "path_beg";

    public DestinationSpec {
        allowedMethods = List.copyOf(allowedMethods);
        Objects.requireNonNull(balanceGroup, "balanceGroup");
        deniedMethods = List.copyOf(deniedMethods);
        Objects.requireNonNull(httpsRedirectCode, "httpsRedirectCode");
        Objects.requireNonNull(outboundHostname, "outboundHostname");
        Objects.requireNonNull(pathType, "pathType");
        redirectFromDomain = List.copyOf(redirectFromDomain);
        Objects.requireNonNull(reqMode, "reqMode");
        Objects.requireNonNull(reqPathSearchReplace, "reqPathSearchReplace");
        serviceDomain = List.copyOf(serviceDomain);
        Objects.requireNonNull(serviceGroup, "serviceGroup");
        serviceHeader = Map.copyOf(serviceHeader);
        servicePath = List.copyOf(servicePath);
        servicePathExclude = List.copyOf(servicePathExclude);
        Objects.requireNonNull(timeoutServer, "timeoutServer");
        Objects.requireNonNull(timeoutClient, "timeoutClient");
        Objects.requireNonNull(timeoutTunnel, "timeoutTunnel");
        userAgent = List.copyOf(userAgent);
        Objects.requireNonNull(userDef, "userDef");
        // Absent from the state of a replica that predates it.
        upgradeProtocols = upgradeProtocols == null ? List.of() : List.copyOf(upgradeProtocols);
        allowedIps = allowedIps == null ? List.of() : List.copyOf(allowedIps);
        deniedIps = deniedIps == null ? List.of() : List.copyOf(deniedIps);
        rateLimit = rateLimit == null ? "" : rateLimit;
        rateLimitBurst = rateLimitBurst == null ? "" : rateLimitBurst;
        rateLimitBy = rateLimitBy == null ? "" : rateLimitBy;
        corsAllowOrigins = corsAllowOrigins == null ? List.of() : List.copyOf(corsAllowOrigins);
        corsAllowMethods = corsAllowMethods == null ? List.of() : List.copyOf(corsAllowMethods);
        corsAllowHeaders = corsAllowHeaders == null ? List.of() : List.copyOf(corsAllowHeaders);
        corsMaxAge = corsMaxAge == null ? "" : corsMaxAge;
        guards = guards == null ? DestinationGuards.NONE : guards;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether it relays TCP ({@code reqMode} {@code tcp} or {@code sni}) rather than routing HTTP requests. */
    public boolean relaysTcp() {
        return !reqMode.isEmpty() && !reqMode.equalsIgnoreCase("http");
    }

    /** Whether it takes TLS connections by the server name of their ClientHello ({@code reqMode=sni}). */
    public boolean passesTlsThrough() {
        return reqMode.equalsIgnoreCase("sni");
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Collects the components of a {@link DestinationSpec}; unset ones keep their empty defaults. */
    public static final class Builder {
        private List<String> allowedMethods = List.of();
        private String balanceGroup = "";
        private boolean checkTcp;
        private boolean clitcpka;
        private List<String> deniedMethods = List.of();
        private boolean denyHttp;
        private boolean httpsOnly;
        private int httpsPort;
        private String httpsRedirectCode = "";
        private boolean ignoreAuthorization;
        private String outboundHostname = "";
        private String pathType = "";
        private int port;
        private List<String> redirectFromDomain = List.of();
        private String reqMode = "http";
        private String reqPathSearchReplace = "";
        private List<String> serviceDomain = List.of();
        private String serviceGroup = "";
        private Map<String, String> serviceHeader = Map.of();
        private List<String> servicePath = List.of();
        private List<String> servicePathExclude = List.of();
        private int srcPort;
        private int srcHttpsPort;
        private boolean sslVerifyNone;
        private String timeoutServer = "";
        private String timeoutClient = "";
        private String timeoutTunnel = "";
        private boolean verifyClientSsl;
        private List<String> userAgent = List.of();
        private String userDef = "";
        private int index;
        private List<String> upgradeProtocols = List.of();
        private List<String> allowedIps = List.of();
        private List<String> deniedIps = List.of();
        private String rateLimit = "";
        private String rateLimitBurst = "";
        private String rateLimitBy = "";
        private List<String> corsAllowOrigins = List.of();
        private List<String> corsAllowMethods = List.of();
        private List<String> corsAllowHeaders = List.of();
        private String corsMaxAge = "";
        private DestinationGuards guards = DestinationGuards.NONE;

        private Builder() {
        }

        private Builder(DestinationSpec d) {
            allowedMethods = d.allowedMethods;
            balanceGroup = d.balanceGroup;
            checkTcp = d.checkTcp;
            clitcpka = d.clitcpka;
            deniedMethods = d.deniedMethods;
            denyHttp = d.denyHttp;
            httpsOnly = d.httpsOnly;
            httpsPort = d.httpsPort;
            httpsRedirectCode = d.httpsRedirectCode;
            ignoreAuthorization = d.ignoreAuthorization;
            outboundHostname = d.outboundHostname;
            pathType = d.pathType;
            port = d.port;
            redirectFromDomain = d.redirectFromDomain;
            reqMode = d.reqMode;
            reqPathSearchReplace = d.reqPathSearchReplace;
            serviceDomain = d.serviceDomain;
            serviceGroup = d.serviceGroup;
            serviceHeader = d.serviceHeader;
            servicePath = d.servicePath;
            servicePathExclude = d.servicePathExclude;
            srcPort = d.srcPort;
            srcHttpsPort = d.srcHttpsPort;
            sslVerifyNone = d.sslVerifyNone;
            timeoutServer = d.timeoutServer;
            timeoutClient = d.timeoutClient;
            timeoutTunnel = d.timeoutTunnel;
            verifyClientSsl = d.verifyClientSsl;
            userAgent = d.userAgent;
            userDef = d.userDef;
            index = d.index;
            upgradeProtocols = d.upgradeProtocols;
            allowedIps = d.allowedIps;
            deniedIps = d.deniedIps;
            rateLimit = d.rateLimit;
            rateLimitBurst = d.rateLimitBurst;
            rateLimitBy = d.rateLimitBy;
            corsAllowOrigins = d.corsAllowOrigins;
            corsAllowMethods = d.corsAllowMethods;
            corsAllowHeaders = d.corsAllowHeaders;
            corsMaxAge = d.corsMaxAge;
            guards = d.guards;
        }

        public Builder allowedMethods(List<String> value) {
            allowedMethods = value;
            return this;
        }

        public Builder balanceGroup(String value) {
            balanceGroup = value;
            return this;
        }

        public Builder checkTcp(boolean value) {
            checkTcp = value;
            return this;
        }

        public Builder clitcpka(boolean value) {
            clitcpka = value;
            return this;
        }

        public Builder deniedMethods(List<String> value) {
            deniedMethods = value;
            return this;
        }

        public Builder denyHttp(boolean value) {
            denyHttp = value;
            return this;
        }

        public Builder httpsOnly(boolean value) {
            httpsOnly = value;
            return this;
        }

        public Builder httpsPort(int value) {
            httpsPort = value;
            return this;
        }

        public Builder httpsRedirectCode(String value) {
            httpsRedirectCode = value;
            return this;
        }

        public Builder ignoreAuthorization(boolean value) {
            ignoreAuthorization = value;
            return this;
        }

        public Builder outboundHostname(String value) {
            outboundHostname = value;
            return this;
        }

        public Builder pathType(String value) {
            pathType = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder redirectFromDomain(List<String> value) {
            redirectFromDomain = value;
            return this;
        }

        public Builder reqMode(String value) {
            reqMode = value;
            return this;
        }

        public Builder reqPathSearchReplace(String value) {
            reqPathSearchReplace = value;
            return this;
        }

        public Builder serviceDomain(List<String> value) {
            serviceDomain = value;
            return this;
        }

        public Builder serviceGroup(String value) {
            serviceGroup = value;
            return this;
        }

        public Builder serviceHeader(Map<String, String> value) {
            serviceHeader = value;
            return this;
        }

        public Builder servicePath(List<String> value) {
            servicePath = value;
            return this;
        }

        public Builder servicePathExclude(List<String> value) {
            servicePathExclude = value;
            return this;
        }

        public Builder srcPort(int value) {
            srcPort = value;
            return this;
        }

        public Builder srcHttpsPort(int value) {
            srcHttpsPort = value;
            return this;
        }

        public Builder sslVerifyNone(boolean value) {
            sslVerifyNone = value;
            return this;
        }

        public Builder timeoutServer(String value) {
            timeoutServer = value;
            return this;
        }

        public Builder timeoutClient(String value) {
            timeoutClient = value;
            return this;
        }

        public Builder timeoutTunnel(String value) {
            timeoutTunnel = value;
            return this;
        }

        public Builder verifyClientSsl(boolean value) {
            verifyClientSsl = value;
            return this;
        }

        public Builder userAgent(List<String> value) {
            userAgent = value;
            return this;
        }

        public Builder userDef(String value) {
            userDef = value;
            return this;
        }

        public Builder index(int value) {
            index = value;
            return this;
        }

        public Builder upgradeProtocols(List<String> value) {
            upgradeProtocols = value;
            return this;
        }

        public Builder allowedIps(List<String> value) {
            allowedIps = value;
            return this;
        }

        public Builder deniedIps(List<String> value) {
            deniedIps = value;
            return this;
        }

        public Builder rateLimit(String value) {
            rateLimit = value;
            return this;
        }

        public Builder rateLimitBurst(String value) {
            rateLimitBurst = value;
            return this;
        }

        public Builder rateLimitBy(String value) {
            rateLimitBy = value;
            return this;
        }

        public Builder corsAllowOrigins(List<String> value) {
            corsAllowOrigins = value;
            return this;
        }

        public Builder corsAllowMethods(List<String> value) {
            corsAllowMethods = value;
            return this;
        }

        public Builder corsAllowHeaders(List<String> value) {
            corsAllowHeaders = value;
            return this;
        }

        public Builder corsMaxAge(String value) {
            corsMaxAge = value;
            return this;
        }

        public Builder guards(DestinationGuards value) {
            guards = value;
            return this;
        }

        public DestinationSpec build() {
            return new DestinationSpec(allowedMethods, balanceGroup, checkTcp, clitcpka, deniedMethods, denyHttp,
                    httpsOnly, httpsPort, httpsRedirectCode, ignoreAuthorization, outboundHostname, pathType, port,
                    redirectFromDomain, reqMode, reqPathSearchReplace, serviceDomain, serviceGroup, serviceHeader,
                    servicePath, servicePathExclude, srcPort, srcHttpsPort, sslVerifyNone, timeoutServer,
                    timeoutClient, timeoutTunnel, verifyClientSsl, userAgent, userDef, index, upgradeProtocols,
                    allowedIps, deniedIps, rateLimit, rateLimitBurst, rateLimitBy, corsAllowOrigins, corsAllowMethods,
                    corsAllowHeaders, corsMaxAge, guards);
        }
    }
}
