package io.swarmgate.proxy.policy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Predicate;

/**
 * HTTP basic authentication against a list of users (DFP's {@code users}, {@code USERS}): a request without valid
 * credentials gets 401 with the realm's challenge; a valid one is forwarded without its {@code Authorization} header.
 * Checking an unknown user costs what checking a known one does, so timing does not tell which users exist.
 */
public final class BasicAuth implements RoutePolicy {
    private final Map<String, Predicate<String>> passwords;
    private final LocalResponse challenge;
    private final Predicate<String> decoy;

    /**
     * @param realm     the realm named in the challenge
     * @param passwords per user name, a check of the password given (constant-time for plain passwords)
     */
    public BasicAuth(String realm, Map<String, Predicate<String>> passwords) {
        if (passwords.isEmpty()) {
            throw new IllegalArgumentException("basic auth needs at least one user");
        }
        this.passwords = Map.copyOf(passwords);
        this.decoy = this.passwords.values().iterator().next();
        this.challenge = LocalResponse.of(401, "Valid credentials are required.")
                .withHeader("WWW-Authenticate", "Basic realm=\"" + realm.replace("\"", "") + "\"");
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        String credentials = credentials(request.header("Authorization"));
        if (credentials == null) {
            return challenge;
        }
        int colon = credentials.indexOf(':');
        String user = colon < 0 ? credentials : credentials.substring(0, colon);
        String password = colon < 0 ? "" : credentials.substring(colon + 1);
        Predicate<String> check = passwords.get(user);
        if (check == null) {
            decoy.test(password); // the same work as for a known user
            return challenge;
        }
        if (!check.test(password)) {
            return challenge;
        }
        request.removeHeader("Authorization");
        return PolicyResult.PROCEED;
    }

    private static String credentials(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
