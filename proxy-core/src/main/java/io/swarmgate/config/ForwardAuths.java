package io.swarmgate.config;

import static io.swarmgate.config.ParameterValues.invalid;

import io.swarmgate.proxy.policy.ForwardAuth;
import io.swarmgate.proxy.policy.HeaderNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** A destination's {@code authUrl}, {@code authRequestHeaders}, {@code authResponseHeaders}, {@code authTimeout}. */
final class ForwardAuths {
    /** The fields that carry a client's credentials: what the service gets when none are named. */
    static final List<String> DEFAULT_REQUEST_HEADERS = List.of("Authorization", "Cookie");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private ForwardAuths() {
    }

    /**
     * The destination's forward auth, or {@code null} without one; a 400 naming the parameter (as {@code name} gives
     * it) when a value is malformed, or given without {@code authUrl} or on a destination that has no requests.
     */
    static ForwardAuth parse(DestinationGuards g, String reqMode, boolean http, UnaryOperator<String> name) {
        if (g.authUrl().isEmpty()) {
            onlyWithUrl(name.apply("authRequestHeaders"), String.join(",", g.authRequestHeaders()));
            onlyWithUrl(name.apply("authResponseHeaders"), String.join(",", g.authResponseHeaders()));
            onlyWithUrl(name.apply("authTimeout"), g.authTimeout());
            return null;
        }
        if (!http) {
            throw invalid(name.apply("authUrl"), g.authUrl(), "no value with reqMode=" + reqMode
                    + ", which has no requests to authenticate");
        }
        URI url = url(g.authUrl(), name.apply("authUrl"));
        List<String> asked = g.authRequestHeaders().isEmpty() ? DEFAULT_REQUEST_HEADERS
                : names(g.authRequestHeaders(), name.apply("authRequestHeaders"));
        List<String> copied = names(g.authResponseHeaders(), name.apply("authResponseHeaders"));
        return new ForwardAuth(url, asked, copied, timeout(g.authTimeout(), name.apply("authTimeout")));
    }

    private static URI url(String raw, String name) {
        try {
            URI url = new URI(raw);
            if ("http".equals(url.getScheme()) && url.getHost() != null && url.getUserInfo() == null
                    && url.getFragment() == null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // refused below, as any other malformed URL
        }
        throw invalid(name, raw, "an http URL such as http://auth:8080/verify");
    }

    private static List<String> names(List<String> raw, String name) {
        for (String header : raw) {
            if (!HeaderNames.isName(header.strip())) {
                throw invalid(name, String.join(",", raw), "header names such as Authorization,X-User");
            }
        }
        return raw.stream().map(String::strip).toList();
    }

    private static Duration timeout(String raw, String name) {
        if (raw.isEmpty()) {
            return DEFAULT_TIMEOUT;
        }
        return DestinationGuards.duration(raw, name);
    }

    private static void onlyWithUrl(String name, String raw) {
        if (!raw.isEmpty()) {
            throw invalid(name, raw, "no value without authUrl");
        }
    }
}
