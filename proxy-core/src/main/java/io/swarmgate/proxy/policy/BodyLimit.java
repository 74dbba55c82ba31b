package io.swarmgate.proxy.policy;

/**
 * {@code maxRequestBodySize}: a request whose body is larger gets 413, at once when its length is declared, else as
 * soon as the bytes received pass the limit. Put it first, so that no other policy works for a request refused anyway.
 */
public final class BodyLimit implements RoutePolicy {
    private static final LocalResponse TOO_LARGE =
            LocalResponse.of(413, "The request body is larger than this service takes.");

    private final long maxBytes;

    public BodyLimit(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: above 0)");
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        if (request.contentLength() > maxBytes) {
            return TOO_LARGE;
        }
        request.limitBody(maxBytes);
        return PolicyResult.PROCEED;
    }
}
