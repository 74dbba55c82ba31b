package io.swarmgate.proxy.policy;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Objects;

/**
 * {@code compressionAlgo} and {@code compressionType}: the answer is compressed with the first of the route's
 * algorithms the client accepts, when its type is one the route names. An answer to HEAD has no body to compress.
 */
public final class ResponseCompression implements RoutePolicy {
    private final Compression compression;

    public ResponseCompression(Compression compression) {
        this.compression = Objects.requireNonNull(compression, "compression");
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        if (request.method() != HttpMethod.HEAD) {
            String algorithm = compression.negotiate(request.header("Accept-Encoding"));
            if (algorithm != null) {
                request.compressAnswer(compression, algorithm);
            }
        }
        return PolicyResult.PROCEED;
    }
}
