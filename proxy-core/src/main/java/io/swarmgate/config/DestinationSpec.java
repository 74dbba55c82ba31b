package io.swarmgate.config;

import java.util.List;
import java.util.Map;

/**
 * One destination of a service, as Docker Flow Proxy's {@code ServiceDest}: which requests it takes and where they go.
 * Its fields are declared once, in {@link DestinationFields}; a list or map that was not given is empty, a string is
 * empty, a number is 0. Only what the routing core honours is interpreted (see {@code RouteCompiler}); the rest is
 * kept so that every source of configuration round-trips. Immutable.
 */
public final class DestinationSpec {
    /** The {@code pathType} stored for a destination that gave none: a raw prefix match. */
    public static final String PATH_BEG = "path_beg";
    private static final FieldValues EMPTY = FieldValues.empty(DestinationFields.ALL);

    private final FieldValues values;

    private DestinationSpec(FieldValues values) {
        this.values = values;
    }

    public static Builder builder() {
        return new Builder(EMPTY);
    }

    public Builder toBuilder() {
        return new Builder(values);
    }

    /** The value of one of {@link DestinationFields}. */
    public <T> T get(Field<T> field) {
        return values.get(field);
    }

    /** Whether it relays TCP ({@code reqMode} {@code tcp} or {@code sni}) rather than routing HTTP requests. */
    public boolean relaysTcp() {
        String reqMode = reqMode();
        return !reqMode.isEmpty() && !reqMode.equalsIgnoreCase("http");
    }

    /** Whether it takes TLS connections by the server name of their ClientHello ({@code reqMode=sni}). */
    public boolean passesTlsThrough() {
        return reqMode().equalsIgnoreCase("sni");
    }

    /** Methods let through; others are denied. */
    public List<String> allowedMethods() {
        return values.get(DestinationFields.ALLOWED_METHODS);
    }

    /** Tcp health check of the backend. */
    public boolean checkTcp() {
        return values.get(DestinationFields.CHECK_TCP);
    }

    /** Tcp keep-alive towards clients. */
    public boolean clitcpka() {
        return values.get(DestinationFields.CLITCPKA);
    }

    /** Methods denied. */
    public List<String> deniedMethods() {
        return values.get(DestinationFields.DENIED_METHODS);
    }

    /** Deny requests that did not arrive over TLS. */
    public boolean denyHttp() {
        return values.get(DestinationFields.DENY_HTTP);
    }

    /** Redirect plain http requests to https. */
    public boolean httpsOnly() {
        return values.get(DestinationFields.HTTPS_ONLY);
    }

    /** The service's port for traffic that arrived over TLS, 0 for none. */
    public int httpsPort() {
        return values.get(DestinationFields.HTTPS_PORT);
    }

    /** Status code of the https redirect, empty for the default. */
    public String httpsRedirectCode() {
        return values.get(DestinationFields.HTTPS_REDIRECT_CODE);
    }

    /** Skip basic auth for this destination. */
    public boolean ignoreAuthorization() {
        return values.get(DestinationFields.IGNORE_AUTHORIZATION);
    }

    /** Backend host used instead of the service name, empty for none. */
    public String outboundHostname() {
        return values.get(DestinationFields.OUTBOUND_HOSTNAME);
    }

    /** How {@code servicePath} matches; empty means {@code path_beg} (raw prefix). */
    public String pathType() {
        return values.get(DestinationFields.PATH_TYPE);
    }

    /** The service's port, 0 when only {@code httpsPort} is given. */
    public int port() {
        return values.get(DestinationFields.PORT);
    }

    /** Host names redirected to the first {@code serviceDomain}. */
    public List<String> redirectFromDomain() {
        return values.get(DestinationFields.REDIRECT_FROM_DOMAIN);
    }

    /** {@code http}, {@code tcp} or {@code sni}. */
    public String reqMode() {
        return values.get(DestinationFields.REQ_MODE);
    }

    /** {@code search,replace} pairs separated by {@code :}. */
    public String reqPathSearchReplace() {
        return values.get(DestinationFields.REQ_PATH_SEARCH_REPLACE);
    }

    /** Host names, exact or {@code *.example.com}; empty for any host. */
    public List<String> serviceDomain() {
        return values.get(DestinationFields.SERVICE_DOMAIN);
    }

    /** Request headers that must all be present with these exact values. */
    public Map<String, String> serviceHeader() {
        return values.get(DestinationFields.SERVICE_HEADER);
    }

    /** Path prefixes. */
    public List<String> servicePath() {
        return values.get(DestinationFields.SERVICE_PATH);
    }

    /** Path prefixes that must not match. */
    public List<String> servicePathExclude() {
        return values.get(DestinationFields.SERVICE_PATH_EXCLUDE);
    }

    /** The proxy port the request must arrive on, 0 for any. */
    public int srcPort() {
        return values.get(DestinationFields.SRC_PORT);
    }

    /** The proxy port for TLS traffic to {@code httpsPort}, 0 for the default. */
    public int srcHttpsPort() {
        return values.get(DestinationFields.SRC_HTTPS_PORT);
    }

    /** Connect to the backend over TLS without verifying it. */
    public boolean sslVerifyNone() {
        return values.get(DestinationFields.SSL_VERIFY_NONE);
    }

    /** Backend inactivity timeout in seconds, empty for the global one. */
    public String timeoutServer() {
        return values.get(DestinationFields.TIMEOUT_SERVER);
    }

    /** Client inactivity timeout in seconds (tcp), empty for the global one. */
    public String timeoutClient() {
        return values.get(DestinationFields.TIMEOUT_CLIENT);
    }

    /** Tunnel (WebSocket) inactivity timeout in seconds, empty for the global one. */
    public String timeoutTunnel() {
        return values.get(DestinationFields.TIMEOUT_TUNNEL);
    }

    /** Require a verified client certificate. */
    public boolean verifyClientSsl() {
        return values.get(DestinationFields.VERIFY_CLIENT_SSL);
    }

    /** User-Agent substrings of which one must match, empty for any. */
    public List<String> userAgent() {
        return values.get(DestinationFields.USER_AGENT);
    }

    /** 0 for the un-indexed destination, N for the parameters suffixed {@code .N}. */
    public int index() {
        return values.get(DestinationFields.INDEX);
    }

    /** Swarmgate's own: the protocol upgrades relayed besides WebSocket, as given. */
    public List<String> upgradeProtocols() {
        return values.get(DestinationFields.UPGRADE_PROTOCOLS);
    }

    /** Swarmgate's own: CIDR blocks of the client addresses let through; others get 403. */
    public List<String> allowedIps() {
        return values.get(DestinationFields.ALLOWED_IPS);
    }

    /** Swarmgate's own: CIDR blocks of the client addresses refused with 403. */
    public List<String> deniedIps() {
        return values.get(DestinationFields.DENIED_IPS);
    }

    /**
     * Swarmgate's own: the average rate a client may send at, {@code <n>/s} or {@code <n>/m}, as given; empty for
     * none.
     */
    public String rateLimit() {
        return values.get(DestinationFields.RATE_LIMIT);
    }

    /** Swarmgate's own: the requests a client may send at once, as given; empty for the rate's {@code <n>}. */
    public String rateLimitBurst() {
        return values.get(DestinationFields.RATE_LIMIT_BURST);
    }

    /** Swarmgate's own: what keys the rate limit, {@code client} (empty) or {@code header:<Name>}. */
    public String rateLimitBy() {
        return values.get(DestinationFields.RATE_LIMIT_BY);
    }

    /** Swarmgate's own: the origin (or {@code *}) allowed cross-origin requests; empty for no CORS answers. */
    public List<String> corsAllowOrigins() {
        return values.get(DestinationFields.CORS_ALLOW_ORIGINS);
    }

    /** Swarmgate's own: the methods a preflight allows besides GET, HEAD and POST. */
    public List<String> corsAllowMethods() {
        return values.get(DestinationFields.CORS_ALLOW_METHODS);
    }

    /** Swarmgate's own: the request headers a preflight allows. */
    public List<String> corsAllowHeaders() {
        return values.get(DestinationFields.CORS_ALLOW_HEADERS);
    }

    /** Swarmgate's own: the seconds a browser keeps a preflight's answer, as given. */
    public String corsMaxAge() {
        return values.get(DestinationFields.CORS_MAX_AGE);
    }

    /** Swarmgate's own guards of the backend (forward auth, retries, the breaker, concurrency), as given. */
    public DestinationGuards guards() {
        return DestinationGuards.of(this);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DestinationSpec that && values.equals(that.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "DestinationSpec[" + values + "]";
    }

    /** Collects the values of a {@link DestinationSpec}; unset ones keep their empty defaults. */
    public static final class Builder {
        private final FieldValues.Builder values;

        private Builder(FieldValues values) {
            this.values = values.toBuilder();
        }

        /** Sets one of {@link DestinationFields}. */
        public <T> Builder with(Field<T> field, T value) {
            values.set(field, value);
            return this;
        }

        public DestinationSpec build() {
            return new DestinationSpec(values.build());
        }
    }
}
