package io.swarmgate.config;

/**
 * A service definition that cannot be applied, with the HTTP status Docker Flow Proxy answers for it: 400 for a bad or
 * missing value, 409 for an http service without path or domain (the listener treats 409 as final and stops retrying)
 * or for a TCP port that cannot be listened on.
 */
public final class InvalidServiceException extends RuntimeException {
    public static final int BAD_REQUEST = 400;
    public static final int CONFLICT = 409;

    private final int httpStatus;

    public InvalidServiceException(int httpStatus, String message) {
        super(message, null, false, false);
        this.httpStatus = httpStatus;
    }

    public static InvalidServiceException badRequest(String message) {
        return new InvalidServiceException(BAD_REQUEST, message);
    }

    public int httpStatus() {
        return httpStatus;
    }
}
