package io.swarmgate.proxy.internal.http1;

/** Stops parsing a message; caught by the decoder, which emits {@link #error()} instead. Has no stack trace. */
final class HttpParseException extends RuntimeException {
    private final HttpError error;

    HttpParseException(HttpError error, String reason) {
        super(reason, null, false, false);
        this.error = error;
    }

    HttpError error() {
        return error;
    }
}
