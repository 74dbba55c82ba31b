package io.swarmgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every field of a destination, once, in the order of Docker Flow Proxy's {@code ServiceDest} (its JSON key order),
 * then Swarmgate's own. A parameter is {@code name} for the un-indexed destination and {@code name.N} for destination
 * N, the label {@code com.df.name} or {@code com.df.name.N}, the variable {@code DFP_SERVICE_NAME} or
 * {@code DFP_SERVICE_NAME_N}.
 *
 * <p>To add a destination field: declare it here, in the position its JSON key takes, and give it behaviour
 * ({@code RouteRules} for a route policy, {@code ServiceValidation} for a rule that involves other fields).
 */
public final class DestinationFields {
    private static final FieldList LIST = new FieldList();

    public static final Field<List<String>> ALLOWED_METHODS = add(Field.list("allowedMethods", "AllowedMethods"));
    public static final Field<String> BALANCE_GROUP = add(Field.text("balanceGroup", "BalanceGroup")
            .unsupported("TCP groups are not supported; use balance=roundrobin or balance=leastconn on the "
                    + "service"));
    public static final Field<Boolean> CHECK_TCP = add(Field.bool("checkTcp", "CheckTCP"));
    public static final Field<Boolean> CLITCPKA = add(Field.bool("clitcpka", "Clitcpka"));
    public static final Field<List<String>> DENIED_METHODS = add(Field.list("deniedMethods", "DeniedMethods"));
    public static final Field<Boolean> DENY_HTTP = add(Field.bool("denyHttp", "DenyHttp"));
    public static final Field<Boolean> HTTPS_ONLY = add(Field.bool("httpsOnly", "HttpsOnly"));
    public static final Field<Integer> HTTPS_PORT = add(Field.port("httpsPort", "HttpsPort"));
    public static final Field<String> HTTPS_REDIRECT_CODE = add(Field.text("httpsRedirectCode", "HttpsRedirectCode"));
    public static final Field<Boolean> IGNORE_AUTHORIZATION =
            add(Field.bool("ignoreAuthorization", "IgnoreAuthorization"));
    public static final Field<String> OUTBOUND_HOSTNAME = add(Field.text("outboundHostname", "OutboundHostname")
            .checking((name, host) -> {
                if (!host.isEmpty() && !ParameterValues.isHostName(host)) {
                    throw ParameterValues.invalid(name, host,
                            "a host name or IPv4 address such as backend.example.com");
                }
            }));
    public static final Field<String> PATH_TYPE = add(Field.text("pathType", "PathType"));
    /** DFP answers it as text, empty for none. */
    public static final Field<Integer> PORT = add(Field.port("port", "Port")
            .answering(port -> port == 0 ? "" : Integer.toString(port)));
    public static final Field<List<String>> REDIRECT_FROM_DOMAIN =
            add(Field.list("redirectFromDomain", "RedirectFromDomain"));
    /** {@code http} when not given. */
    public static final Field<String> REQ_MODE = add(Field.of("reqMode", "ReqMode", Field.Kind.TEXT, "http",
            (name, raw, context) -> raw.isEmpty() ? "http" : raw)
            .checking((name, mode) -> {
                if (!mode.equalsIgnoreCase("http") && !mode.equalsIgnoreCase("tcp") && !mode.equalsIgnoreCase("sni")) {
                    throw ParameterValues.invalid(name, mode, "http, tcp or sni");
                }
            }));
    static final Field<Object> REQ_MODE_FORMATTED = add(Field.rendering("ReqModeFormatted", ""));
    public static final Field<String> REQ_PATH_SEARCH_REPLACE =
            add(Field.text("reqPathSearchReplace", "ReqPathSearchReplace"));
    /** Host names, exact, {@code *.example.com} (a wildcard) or {@code *example.com} (DFP's suffix match). */
    public static final Field<List<String>> SERVICE_DOMAIN = add(Field.list("serviceDomain", "ServiceDomain")
            .checking((name, domains) -> {
                for (String domain : domains) {
                    String labels = domain.startsWith("*.") ? domain.substring(2)
                            : domain.startsWith("*") ? domain.substring(1) : domain;
                    if (!ParameterValues.isHostName(labels)) {
                        throw ParameterValues.invalid(name, domain,
                                "a host name such as example.com, *.example.com or *example.com");
                    }
                }
            }));
    public static final Field<String> SERVICE_GROUP = add(Field.text("serviceGroup", "ServiceGroup")
            .unsupported("TCP groups are not supported; give each service its own srcPort (reqMode=tcp balances "
                    + "over the service's tasks with discoveryType=DNS)"));
    /** {@code Name:value} pairs; the value may itself contain colons. DFP answers them sorted by name. */
    public static final Field<Map<String, String>> SERVICE_HEADER = add(Field.of("serviceHeader", "ServiceHeader",
            Field.Kind.TEXT_MAP, Map.<String, String>of(), DestinationFields::headers)
            .checking((name, headers) -> headers.forEach((header, value) -> {
                if (header.isBlank()) {
                    throw ParameterValues.invalid(name, header + ":" + value, "Name:value pairs");
                }
            }))
            .answering(TreeMap::new));
    public static final Field<List<String>> SERVICE_PATH = add(Field.list("servicePath", "ServicePath"));
    public static final Field<List<String>> SERVICE_PATH_EXCLUDE =
            add(Field.list("servicePathExclude", "ServicePathExclude"));
    public static final Field<Integer> SRC_PORT = add(Field.port("srcPort", "SrcPort"));
    public static final Field<Integer> SRC_HTTPS_PORT = add(Field.port("srcHttpsPort", "SrcHttpsPort"));
    static final Field<Object> SRC_PORT_ACL = add(Field.rendering("SrcPortAcl", ""));
    static final Field<Object> SRC_PORT_ACL_NAME = add(Field.rendering("SrcPortAclName", ""));
    static final Field<Object> SRC_HTTPS_PORT_ACL = add(Field.rendering("SrcHttpsPortAcl", ""));
    static final Field<Object> SRC_HTTPS_PORT_ACL_NAME = add(Field.rendering("SrcHttpsPortAclName", ""));
    public static final Field<Boolean> SSL_VERIFY_NONE = add(Field.bool("sslVerifyNone", "SslVerifyNone"));
    public static final Field<String> TIMEOUT_SERVER = add(Field.text("timeoutServer", "TimeoutServer"));
    public static final Field<String> TIMEOUT_CLIENT = add(Field.text("timeoutClient", "TimeoutClient"));
    public static final Field<String> TIMEOUT_TUNNEL = add(Field.text("timeoutTunnel", "TimeoutTunnel"));
    public static final Field<Boolean> VERIFY_CLIENT_SSL = add(Field.bool("verifyClientSsl", "VerifyClientSsl"));
    /** DFP answers the values with the ACL name it derives from them. */
    public static final Field<List<String>> USER_AGENT = add(Field.list("userAgent", "UserAgent")
            .answering(DestinationFields::userAgentAnswer));
    public static final Field<String> USER_DEF = add(Field.text("userDef", "UserDef"));
    /** 0 for the un-indexed destination, N for the parameters suffixed {@code .N}. */
    public static final Field<Integer> INDEX = add(Field.derived("index", "Index", Field.Kind.INT, 0));
    /** DFP's list of {@code search,replace} rules, the service's and the destination's; see the JSON writer. */
    public static final Field<Object> REQ_PATH_SEARCH_REPLACE_FORMATTED =
            add(Field.rendering("ReqPathSearchReplaceFormatted", List.of()));
    static final Field<Object> INCLUDE_SRC_PORT_ACL = add(Field.rendering("IncludeSrcPortACL", false));
    static final Field<Object> INCLUDE_SRC_HTTPS_PORT_ACL = add(Field.rendering("IncludeSrcHttpsPortACL", false));
    /** Swarmgate's own: the protocol upgrades relayed besides WebSocket. */
    public static final Field<List<String>> UPGRADE_PROTOCOLS =
            add(Field.list("upgradeProtocols", "UpgradeProtocols"));
    /** Swarmgate's own: CIDR blocks of the client addresses let through; others get 403. */
    public static final Field<List<String>> ALLOWED_IPS = add(Field.list("allowedIps", "AllowedIps"));
    /** Swarmgate's own: CIDR blocks of the client addresses refused with 403. */
    public static final Field<List<String>> DENIED_IPS = add(Field.list("deniedIps", "DeniedIps"));
    /** Swarmgate's own: the average rate a client may send at, {@code <n>/s} or {@code <n>/m}, as given. */
    public static final Field<String> RATE_LIMIT = add(Field.text("rateLimit", "RateLimit"));
    /** Swarmgate's own: the requests a client may send at once, as given; empty for the rate's {@code <n>}. */
    public static final Field<String> RATE_LIMIT_BURST = add(Field.text("rateLimitBurst", "RateLimitBurst"));
    /** Swarmgate's own: what keys the rate limit, {@code client} (empty) or {@code header:<Name>}. */
    public static final Field<String> RATE_LIMIT_BY = add(Field.text("rateLimitBy", "RateLimitBy"));
    /** Swarmgate's own: the origin (or {@code *}) allowed cross-origin requests; empty for no CORS answers. */
    public static final Field<List<String>> CORS_ALLOW_ORIGINS =
            add(Field.list("corsAllowOrigins", "CorsAllowOrigins"));
    /** Swarmgate's own: the methods a preflight allows besides GET, HEAD and POST. */
    public static final Field<List<String>> CORS_ALLOW_METHODS =
            add(Field.list("corsAllowMethods", "CorsAllowMethods"));
    /** Swarmgate's own: the request headers a preflight allows. */
    public static final Field<List<String>> CORS_ALLOW_HEADERS =
            add(Field.list("corsAllowHeaders", "CorsAllowHeaders"));
    /** Swarmgate's own: the seconds a browser keeps a preflight's answer, as given. */
    public static final Field<String> CORS_MAX_AGE = add(Field.text("corsMaxAge", "CorsMaxAge"));
    /** Swarmgate's own: the answer header preset, {@code basic} or {@code strict}; empty for none. */
    public static final Field<String> SECURITY_HEADERS = add(Field.text("securityHeaders", "SecurityHeaders"));
    /** Swarmgate's own: the variant's service (or host), with its port or not, that takes {@code canaryWeight}. */
    public static final Field<String> CANARY_SERVICE = add(Field.text("canaryService", "CanaryService"));
    /** Swarmgate's own: the canary's share of the requests, a percentage, as given. */
    public static final Field<String> CANARY_WEIGHT = add(Field.text("canaryWeight", "CanaryWeight"));
    /** Swarmgate's own: the header whose value {@code canary} or {@code stable} forces a variant. */
    public static final Field<String> CANARY_HEADER = add(Field.text("canaryHeader", "CanaryHeader"));
    /** Swarmgate's own: the cookie that forces a variant and keeps a client on the one it drew. */
    public static final Field<String> CANARY_COOKIE = add(Field.text("canaryCookie", "CanaryCookie"));
    /** Swarmgate's own: the service (or host), with its port or not, that gets copies of requests; empty for none. */
    public static final Field<String> MIRROR_SERVICE = add(Field.text("mirrorService", "MirrorService"));
    /** Swarmgate's own: the share of requests copied, a percentage, as given; empty for all. */
    public static final Field<String> MIRROR_PERCENT = add(Field.text("mirrorPercent", "MirrorPercent"));
    /** Swarmgate's own, as {@link DestinationGuards} reads them: forward auth, retries, the breaker, concurrency. */
    public static final Field<String> AUTH_URL = add(Field.text("authUrl", "AuthUrl"));
    public static final Field<List<String>> AUTH_REQUEST_HEADERS =
            add(Field.list("authRequestHeaders", "AuthRequestHeaders"));
    public static final Field<List<String>> AUTH_RESPONSE_HEADERS =
            add(Field.list("authResponseHeaders", "AuthResponseHeaders"));
    public static final Field<String> AUTH_TIMEOUT = add(Field.text("authTimeout", "AuthTimeout"));
    public static final Field<String> RETRY_ATTEMPTS = add(Field.text("retryAttempts", "RetryAttempts"));
    public static final Field<List<String>> RETRY_ON = add(Field.list("retryOn", "RetryOn"));
    public static final Field<String> RETRY_BACKOFF = add(Field.text("retryBackoff", "RetryBackoff"));
    public static final Field<String> RETRY_BUDGET = add(Field.text("retryBudget", "RetryBudget"));
    public static final Field<String> RETRY_NON_IDEMPOTENT =
            add(Field.text("retryNonIdempotent", "RetryNonIdempotent"));
    public static final Field<String> BREAKER_ERROR_RATIO = add(Field.text("breakerErrorRatio", "BreakerErrorRatio"));
    public static final Field<String> BREAKER_LATENCY = add(Field.text("breakerLatency", "BreakerLatency"));
    public static final Field<String> BREAKER_MIN_REQUESTS =
            add(Field.text("breakerMinRequests", "BreakerMinRequests"));
    public static final Field<String> BREAKER_WINDOW = add(Field.text("breakerWindow", "BreakerWindow"));
    public static final Field<String> BREAKER_OPEN_FOR = add(Field.text("breakerOpenFor", "BreakerOpenFor"));
    public static final Field<String> BREAKER_PROBES = add(Field.text("breakerProbes", "BreakerProbes"));
    public static final Field<String> CONCURRENCY_LIMIT = add(Field.text("concurrencyLimit", "ConcurrencyLimit"));
    public static final Field<String> CONCURRENCY_LIMIT_PER_CLIENT =
            add(Field.text("concurrencyLimitPerClient", "ConcurrencyLimitPerClient"));
    /** Swarmgate's own: the PROXY protocol header sent first to the backend, {@code v1} or {@code v2}; empty for none. */
    public static final Field<String> BACKEND_PROXY_PROTOCOL =
            add(Field.text("backendProxyProtocol", "BackendProxyProtocol").checking((name, version) -> {
                if (!version.isEmpty() && !version.equals("v1") && !version.equals("v2")) {
                    throw ParameterValues.invalid(name, version, "v1 or v2");
                }
            }));

    /** Every field, in DFP's order. */
    public static final List<Field<?>> ALL = LIST.all();

    private DestinationFields() {
    }

    private static <T> Field<T> add(Field<T> field) {
        return LIST.add(field);
    }

    private static Map<String, String> headers(String parameter, String raw, Field.ReadContext context) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String pair : ParameterValues.list(raw, context.separator())) {
            int colon = pair.indexOf(':');
            String name = colon < 0 ? "" : pair.substring(0, colon).strip();
            if (name.isEmpty()) {
                throw ParameterValues.invalid(parameter, pair, "Name:value pairs");
            }
            headers.put(name, pair.substring(colon + 1).strip());
        }
        return headers;
    }

    private static Map<String, Object> userAgentAnswer(List<String> values) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Value", values.isEmpty() ? null : values);
        answer.put("AclName", values.isEmpty() ? "" : String.join("_", values).replaceAll("[^A-Za-z0-9]+", "_"));
        return answer;
    }
}
