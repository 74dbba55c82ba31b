package io.swarmgate.proxy.route;

/**
 * What a request must also satisfy for a route to take it, beyond its host, path prefix and entry port: Docker Flow
 * Proxy's {@code pathType}, {@code servicePathExclude}, {@code serviceHeader}, {@code userAgent} and
 * {@code serviceDomainAlgo}. Evaluated only for routes whose prefix matched; must not block or allocate needlessly.
 */
@FunctionalInterface
public interface RouteCondition {
    /**
     * @param uri        the request target in origin form
     * @param pathEnd    where its path ends (the query starts)
     * @param hostHeader the Host header as sent, or {@code null}
     * @param headers    the request's header fields
     */
    boolean test(CharSequence uri, int pathEnd, CharSequence hostHeader, RequestHeaders headers);
}
