package io.swarmgate.proxy.tls;

/** A certificate that cannot be served, with what is wrong with it in words a user can act on. */
public final class InvalidCertificateException extends Exception {
    public InvalidCertificateException(String message) {
        super(message);
    }

    public InvalidCertificateException(String message, Throwable cause) {
        super(message, cause);
    }
}
