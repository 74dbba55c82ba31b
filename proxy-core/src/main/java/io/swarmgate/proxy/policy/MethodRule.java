package io.swarmgate.proxy.policy;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code allowedMethods} / {@code deniedMethods}: a method not allowed, or denied, gets 403. */
public final class MethodRule implements RoutePolicy {
    private static final LocalResponse FORBIDDEN = LocalResponse.of(403, "The method is not allowed for this service.");

    private final Set<String> allowed;
    private final Set<String> denied;

    /** Either set may be empty: no allowed methods means all are allowed. */
    public MethodRule(Set<String> allowed, Set<String> denied) {
        this.allowed = upperCase(allowed);
        this.denied = upperCase(denied);
    }

    private static Set<String> upperCase(Set<String> methods) {
        return methods.stream().map(m -> m.strip().toUpperCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        HttpMethod method = request.method();
        String name = method.name();
        if ((!allowed.isEmpty() && !allowed.contains(name)) || denied.contains(name)) {
            return FORBIDDEN;
        }
        return PolicyResult.PROCEED;
    }
}
