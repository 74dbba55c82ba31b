package io.swarmgate.proxy.policy;

import io.netty.handler.codec.http.HttpMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code corsAllowOrigins} and its companions: the proxy answers a route's CORS preflights itself, and its answers
 * carry {@code Access-Control-Allow-Origin}. With {@code *} or one origin every answer is the same, so the field goes
 * through the route's answer edits ({@link #addTo}). With several, the request's {@code Origin} is echoed when it is
 * one of them: each origin's answer edits and preflight are built once, and a request picks its own
 * ({@link PolicyRequest#editAnswer}); every answer then says {@code Vary: Origin}.
 */
public final class Cors implements RoutePolicy {
    public static final String ANY_ORIGIN = "*";
    /** The methods a browser sends without asking (CORS' simple methods): always allowed. */
    private static final Set<String> SIMPLE_METHODS = Set.of("GET", "HEAD", "POST");
    private static final LocalResponse FORBIDDEN =
            LocalResponse.of(403, "This origin or method may not send cross-origin requests to this service.");
    private static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";

    /** The one origin every answer names, or {@code null} when the request's is echoed. */
    private final String fixedOrigin;
    private final Set<String> methods;
    /** Per allowed origin, its preflight's answer; {@code *} under its own key. */
    private final Map<String, LocalResponse> preflights = new HashMap<>();
    /** Per allowed origin, the answer edits naming it, when several are allowed. */
    private final Map<String, HeaderEdits> echoes = new HashMap<>();
    /** The answer edits of a request from no allowed origin, when several are allowed. */
    private final HeaderEdits noEcho;

    /**
     * @param origins {@code *}, or the origins allowed ({@code https://app.example.com})
     * @param methods the methods allowed besides GET, HEAD and POST
     * @param headers the request headers allowed besides CORS' safelisted ones
     * @param maxAge  the seconds a browser may keep a preflight's answer, or -1 to say nothing
     */
    public Cors(List<String> origins, List<String> methods, List<String> headers, int maxAge) {
        this.fixedOrigin = origins.size() == 1 ? origins.get(0) : null;
        this.methods = methods.stream().map(m -> m.strip().toUpperCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
        LocalResponse answer = LocalResponse.of(200, "CORS preflight answered by the proxy.")
                .withHeader("Access-Control-Allow-Methods", String.join(", ", allowedMethods()));
        if (!headers.isEmpty()) {
            answer = answer.withHeader("Access-Control-Allow-Headers",
                    headers.stream().map(String::strip).collect(Collectors.joining(", ")));
        }
        if (maxAge >= 0) {
            answer = answer.withHeader("Access-Control-Max-Age", Integer.toString(maxAge));
        }
        for (String origin : origins) {
            LocalResponse preflight = answer.withHeader(ALLOW_ORIGIN, origin);
            preflights.put(origin, origin.equals(ANY_ORIGIN) ? preflight : preflight.withHeader("Vary", "Origin"));
            if (fixedOrigin == null) {
                echoes.put(origin, HeaderEdits.builder().set(ALLOW_ORIGIN, origin).add("Vary", "Origin").build());
            }
        }
        this.noEcho = fixedOrigin == null ? HeaderEdits.builder().remove(ALLOW_ORIGIN).add("Vary", "Origin").build()
                : HeaderEdits.NONE;
    }

    private List<String> allowedMethods() {
        return Stream.concat(SIMPLE_METHODS.stream().sorted(), methods.stream().sorted())
                .distinct().toList();
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        boolean preflight = request.method() == HttpMethod.OPTIONS;
        // With one origin the answer edits are the route's: only a preflight needs the request's Origin.
        String from = preflight || fixedOrigin == null ? request.header("Origin") : null;
        if (fixedOrigin == null) {
            HeaderEdits echo = from == null ? null : echoes.get(from);
            request.editAnswer(echo != null ? echo : noEcho);
        }
        if (!preflight) {
            return PolicyResult.PROCEED;
        }
        String method = request.header("Access-Control-Request-Method");
        if (from == null || method == null) {
            return PolicyResult.PROCEED;
        }
        LocalResponse answer = preflights.get(ANY_ORIGIN.equals(fixedOrigin) ? ANY_ORIGIN : from);
        boolean allowed = answer != null && (SIMPLE_METHODS.contains(method) || methods.contains(method));
        return allowed ? answer : FORBIDDEN;
    }

    /** Adds the header fields every answer of the route carries, replacing any the backend sent: one origin only. */
    public void addTo(HeaderEdits.Builder edits) {
        if (fixedOrigin == null) {
            return;
        }
        edits.set(ALLOW_ORIGIN, fixedOrigin);
        if (!fixedOrigin.equals(ANY_ORIGIN)) {
            edits.add("Vary", "Origin");
        }
    }
}
