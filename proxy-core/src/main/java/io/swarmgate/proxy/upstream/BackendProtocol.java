package io.swarmgate.proxy.upstream;

/** How the proxy speaks to a backend. */
public enum BackendProtocol {
    /** HTTP/1.1 over plain TCP: the default. */
    HTTP1,
    /** HTTP/2 over plain TCP with prior knowledge, one exchange per stream: gRPC servers. */
    H2C,
    /**
     * HTTP/1.1 over TLS, the backend's certificate checked against the JVM's trusted authorities and the backend's
     * name (the service's, for tasks), which is also sent by SNI.
     */
    HTTPS,
    /** HTTP/1.1 over TLS without checking the backend's certificate: Docker Flow Proxy's {@code sslVerifyNone}. */
    HTTPS_UNVERIFIED;

    /** Whether connections are TLS. */
    public boolean tls() {
        return this == HTTPS || this == HTTPS_UNVERIFIED;
    }
}
