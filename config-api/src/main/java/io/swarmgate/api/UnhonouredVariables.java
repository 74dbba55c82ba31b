package io.swarmgate.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker Flow Proxy's environment variables that Swarmgate does not read, each with why: a migrating user's setting
 * is named in a warning at start rather than ignored without a word.
 */
final class UnhonouredVariables {
    private static final Logger log = LoggerFactory.getLogger(UnhonouredVariables.class);
    private static final String NO_HAPROXY = "Swarmgate renders no HAProxy configuration";
    private static final String NO_RELOAD = "not needed: Swarmgate validates a change before it applies it and never "
            + "reloads";
    private static final String RESOLVED_AT_CONNECT = "not needed: backend names are resolved when a connection "
            + "opens, and a name that does not resolve affects its own service only";

    /** Each variable and why it is not read; {@link #warnings} keeps this order. */
    private static final Map<String, String> REASONS = reasons();

    private UnhonouredVariables() {
    }

    private static Map<String, String> reasons() {
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("EXTRA_FRONTEND", "not supported: " + NO_HAPROXY + "; express the rules with reconfigure "
                + "parameters");
        reasons.put("EXTRA_GLOBAL", "not supported: " + NO_HAPROXY);
        reasons.put("CFG_TEMPLATE_PATH", "not supported: " + NO_HAPROXY + " template");
        reasons.put("CRT_LIST_PATH", "not supported: certificates come from CERTS_DIR and the cert-* secrets, "
                + "ordered by PREFERRED_CERTIFICATE");
        reasons.put("CAPTURE_REQUEST_HEADER", "not supported: ACCESS_LOG=true logs each exchange, "
                + "ACCESS_LOG_FORMAT=json with its fields");
        reasons.put("DEBUG_HTTP_FORMAT", "not supported: HAProxy log formats; ACCESS_LOG_FORMAT chooses clf or json");
        reasons.put("DEBUG_TCP_FORMAT", "not supported: HAProxy log formats; ACCESS_LOG_FORMAT chooses clf or json");
        reasons.put("DEBUG_ERRORS_ONLY", "not supported: the access log has every exchange; filter it by status");
        reasons.put("DEFAULT_REQ_MODE", "not supported: the proxy ports speak HTTP; a TCP service sets reqMode=tcp "
                + "and its own srcPort");
        reasons.put("SERVICE_DOMAIN_ALGO", "not supported: set serviceDomainAlgo on each service (domains match "
                + "exactly by default, not by hdr_beg(host))");
        reasons.put("STATS_PORT", "not supported: the statistics page answers on the proxy ports at STATS_URI");
        reasons.put("STATS_USER_ENV", "not supported: set STATS_USER itself");
        reasons.put("STATS_PASS_ENV", "not supported: set STATS_PASS itself");
        reasons.put("STATS_URI_ENV", "not supported: set STATS_URI itself");
        reasons.put("TIMEOUT_TUNNEL", "not supported: set timeoutTunnel on each service (default 3600 s)");
        reasons.put("RESOLVERS", "not supported: names are resolved by the system's resolver (Docker's in a swarm)");
        reasons.put("CHECK_RESOLVERS", RESOLVED_AT_CONNECT);
        reasons.put("DO_NOT_RESOLVE_ADDR", RESOLVED_AT_CONNECT);
        reasons.put("SKIP_ADDRESS_VALIDATION", RESOLVED_AT_CONNECT);
        reasons.put("RECONFIGURE_ATTEMPTS", NO_RELOAD);
        reasons.put("DISPLAY_CONFIG_ON_ERROR", NO_RELOAD);
        reasons.put("TERMINATE_ON_RELOAD", NO_RELOAD);
        reasons.put("RELOAD_ATTEMPTS", "not needed: the start-up pull tries every LISTENER_ADDRESS each "
                + "RELOAD_INTERVAL until one answers");
        reasons.put("REPEAT_RELOAD", "not needed: swarm discovery lists every service each "
                + "DISCOVERY_RESYNC_INTERVAL; reload?fromListener=true pulls on demand");
        reasons.put("DNS_LOOKUP_PAUSE_MS", "not needed: replicas copy each other's state without waiting");
        reasons.put("TIMEOUT_QUEUE", "not needed: there is no request queue; past MAX_CONNECTIONS a client gets 503");
        reasons.put("CERTS", "not needed: every certificate of CERTS_DIR is served (deprecated in DFP too)");
        reasons.put("HEALTHCHECK", "not needed: the image's health check always runs");
        return reasons;
    }

    /** One warning per variable of {@code environment} that Swarmgate does not read, naming it and why. */
    static List<String> warnings(Map<String, String> environment) {
        return REASONS.entrySet().stream()
                .filter(e -> environment.containsKey(e.getKey()))
                .map(e -> e.getKey() + " is set but not read: " + e.getValue())
                .toList();
    }

    static void logWarnings(Map<String, String> environment) {
        warnings(environment).forEach(log::warn);
    }
}
