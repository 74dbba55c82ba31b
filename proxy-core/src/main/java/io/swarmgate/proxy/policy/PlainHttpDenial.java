package io.swarmgate.proxy.policy;

/** {@code denyHttp}: a request that did not come over TLS gets 403. */
public final class PlainHttpDenial implements RoutePolicy {
    private static final LocalResponse FORBIDDEN = LocalResponse.of(403, "This service is served over HTTPS only.");

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        return request.secure() ? PolicyResult.PROCEED : FORBIDDEN;
    }
}
