package io.swarmgate.api.http;

import java.util.Map;

/**
 * One answer of the configuration API, independent of the HTTP server that writes it.
 *
 * @param status  HTTP status code
 * @param headers headers besides Content-Length
 * @param body    UTF-8 body
 */
record ApiAnswer(int status, Map<String, String> headers, String body) {
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain; charset=utf-8";

    static ApiAnswer json(int status, String body) {
        return new ApiAnswer(status, Map.of("Content-Type", JSON), body);
    }

    static ApiAnswer text(int status, String body) {
        return new ApiAnswer(status, Map.of("Content-Type", TEXT), body);
    }

    /** Prometheus' text exposition format. */
    static ApiAnswer prometheus(String body) {
        return new ApiAnswer(200, Map.of("Content-Type", "text/plain; version=0.0.4; charset=utf-8"), body);
    }

    /** As Go's router redirects a path with a trailing slash (gorilla/mux {@code StrictSlash}). */
    static ApiAnswer movedPermanently(String location) {
        return new ApiAnswer(301, Map.of("Content-Type", TEXT, "Location", location), "");
    }

    static ApiAnswer unauthorized(String challenge) {
        return new ApiAnswer(401, Map.of("Content-Type", TEXT, "WWW-Authenticate", challenge),
                "401 Unauthorized\nThe configuration API needs credentials.\n");
    }

    /** Go's default answer for an unknown path. */
    static ApiAnswer notFound() {
        return text(404, "404 page not found\n");
    }
}
