package io.swarmgate.proxy.policy;

/**
 * Redirects plain-HTTP requests to https, keeping host, path and query: {@code httpsOnly} (requests not over TLS),
 * {@code redirectWhenHttpProto} and {@code redirectUnlessHttpsProto} (decided by {@code X-Forwarded-Proto}, for a
 * TLS-offloading load balancer in front).
 */
public final class HttpsRedirect implements RoutePolicy {
    /** What makes a request plain HTTP. */
    public enum When {
        /** It did not come over TLS ({@code httpsOnly}). */
        NOT_SECURE,
        /** {@code X-Forwarded-Proto: http} ({@code redirectWhenHttpProto}). */
        FORWARDED_PROTO_HTTP,
        /** {@code X-Forwarded-Proto} is not https ({@code redirectUnlessHttpsProto}). */
        FORWARDED_PROTO_NOT_HTTPS
    }

    private final When when;
    private final int code;

    public HttpsRedirect(When when, int code) {
        if (code < 300 || code > 399) {
            throw new IllegalArgumentException("redirect code: " + code + " (expected: 3xx)");
        }
        this.when = when;
        this.code = code;
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        boolean plain = switch (when) {
            case NOT_SECURE -> !request.secure();
            case FORWARDED_PROTO_HTTP -> "http".equalsIgnoreCase(request.header("X-Forwarded-Proto"));
            case FORWARDED_PROTO_NOT_HTTPS -> !"https".equalsIgnoreCase(request.header("X-Forwarded-Proto"));
        };
        if (!plain || request.host() == null) {
            return PolicyResult.PROCEED;
        }
        return LocalResponse.redirect(code, "https://" + request.host() + pathAndQuery(request));
    }

    static String pathAndQuery(PolicyRequest request) {
        return request.query() == null ? request.path() : request.path() + "?" + request.query();
    }
}
