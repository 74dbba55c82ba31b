package io.swarmgate.proxy.policy;

import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code corsAllowOrigins} and its companions: the proxy answers a route's CORS preflights itself, and its answers
 * carry {@code Access-Control-Allow-Origin} through the route's answer edits ({@link #addTo}). The origin is one
 * (answered with {@code Vary: Origin}) or {@code *}, so every answer is the same and is built once.
 */
public final class Cors implements RoutePolicy {
    public static final String ANY_ORIGIN = "*";
    /** The methods a browser sends without asking (CORS' simple methods): always allowed. */
    private static final Set<String> SIMPLE_METHODS = Set.of("GET", "HEAD", "POST");
    private static final LocalResponse FORBIDDEN =
            LocalResponse.of(403, "This origin or method may not send cross-origin requests to this service.");

    private final String origin;
    private final Set<String> methods;
    private final LocalResponse preflight;

    /**
     * @param origin  {@code *}, or the one origin allowed ({@code https://app.example.com})
     * @param methods the methods allowed besides GET, HEAD and POST
     * @param headers the request headers allowed besides CORS' safelisted ones
     * @param maxAge  the seconds a browser may keep a preflight's answer, or -1 to say nothing
     */
    public Cors(String origin, List<String> methods, List<String> headers, int maxAge) {
        this.origin = origin;
        this.methods = methods.stream().map(m -> m.strip().toUpperCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        LocalResponse answer = LocalResponse.of(200, "CORS preflight answered by the proxy.")
                .withHeader("Access-Control-Allow-Origin", origin)
                .withHeader("Access-Control-Allow-Methods", String.join(", ", allowedMethods()));
        if (!headers.isEmpty()) {
            answer = answer.withHeader("Access-Control-Allow-Headers",
                    headers.stream().map(String::strip).collect(Collectors.joining(", ")));
        }
        if (maxAge >= 0) {
            answer = answer.withHeader("Access-Control-Max-Age", Integer.toString(maxAge));
        }
        this.preflight = origin.equals(ANY_ORIGIN) ? answer : answer.withHeader("Vary", "Origin");
    }

    private List<String> allowedMethods() {
        return Stream.concat(SIMPLE_METHODS.stream().sorted(), methods.stream().sorted())
                .distinct().toList();
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        if (request.method() != HttpMethod.OPTIONS) {
            return PolicyResult.PROCEED;
        }
        String from = request.header("Origin");
        String method = request.header("Access-Control-Request-Method");
        if (from == null || method == null) {
            return PolicyResult.PROCEED;
        }
        boolean allowed = (origin.equals(ANY_ORIGIN) || origin.equals(from))
                && (SIMPLE_METHODS.contains(method) || methods.contains(method));
        return allowed ? preflight : FORBIDDEN;
    }

    /** Adds the header fields every answer of the route carries, replacing any the backend sent. */
    public void addTo(HeaderEdits.Builder edits) {
        edits.set("Access-Control-Allow-Origin", origin);
        if (!origin.equals(ANY_ORIGIN)) {
            edits.add("Vary", "Origin");
        }
    }
}
