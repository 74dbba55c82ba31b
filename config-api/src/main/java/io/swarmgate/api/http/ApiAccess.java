package io.swarmgate.api.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who may use the configuration API: anyone ({@link #OPEN}), or only requests with the bearer token or the basic-auth
 * credentials given. Health and readiness endpoints stay open, since orchestrators probe them without credentials.
 * A browser cannot send a bearer token, so the token is also taken as the password of basic auth, with any user name.
 * Secrets are compared in constant time.
 *
 * @param token bearer token, or empty for none
 * @param users basic-auth user names and passwords
 */
public record ApiAccess(String token, Map<String, String> users) {
    public static final ApiAccess OPEN = new ApiAccess("", Map.of());
    private static final Set<String> ALWAYS_OPEN = Set.of("/v1/docker-flow-proxy/ping",
            "/v1/docker-flow-proxy/successfulinitreload", "/ping", "/ready");

    public ApiAccess {
        Objects.requireNonNull(token, "token");
        users = Map.copyOf(users);
    }

    public boolean isOpen() {
        return token.isEmpty() && users.isEmpty();
    }

    /** Whether a request for {@code path} with this Authorization header (or null) may be answered. */
    boolean admits(String path, String authorization) {
        if (isOpen() || ALWAYS_OPEN.contains(path)) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        if (!token.isEmpty() && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return equal(authorization.substring(7).strip(), token);
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String credentials;
            try {
                credentials = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
            int colon = credentials.indexOf(':');
            if (colon < 0) {
                return false;
            }
            String password = credentials.substring(colon + 1);
            String expected = users.get(credentials.substring(0, colon));
            return expected != null && equal(password, expected) || !token.isEmpty() && equal(password, token);
        }
        return false;
    }

    /** The Authorization header with which one replica calls another's protected API; null when it is open. */
    public String authorization() {
        if (!token.isEmpty()) {
            return "Bearer " + token;
        }
        return users.entrySet().stream().min(Map.Entry.comparingByKey())
                .map(user -> "Basic " + Base64.getEncoder().encodeToString(
                        (user.getKey() + ":" + user.getValue()).getBytes(StandardCharsets.UTF_8)))
                .orElse(null);
    }

    /** The challenge a refused request gets: basic auth for pages, which makes a browser ask for credentials. */
    String challenge(String path) {
        return token.isEmpty() || path.startsWith(DashboardPages.PATH) ? "Basic realm=\"swarmgate-api\""
                : "Bearer realm=\"swarmgate-api\"";
    }

    private static boolean equal(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return isOpen() ? "open" : "protected (" + (token.isEmpty() ? "" : "token ") + users.size() + " user(s))";
    }
}
