package io.swarmgate.proxy.policy;

import io.netty.handler.codec.http.HttpMethod;

/**
 * A request as the policies of its route see it, before it is forwarded: what it asks for, where it came from, and
 * the changes policies make to it (a new path, header edits), which are applied when it is sent to the backend. It is
 * the same whether the request came over HTTP/1.1 or HTTP/2.
 */
public interface PolicyRequest {
    HttpMethod method();

    /** The Host header, or {@code null} without one. */
    String host();

    /** The path, without the query. */
    String path();

    /** The query without its {@code ?}, or {@code null} without one. */
    String query();

    /** Whether it came over TLS. */
    boolean secure();

    /** Whether it came over TLS with a client certificate the handshake verified against {@code CA_FILE}. */
    boolean clientCertificateVerified();

    /** The proxy port it arrived on. */
    int localPort();

    /** The client's IP address. */
    String clientAddress();

    /** The first value of a header, or {@code null} when absent. */
    String header(String name);

    /** Forwards the request with this path (the query is kept). */
    void path(String path);

    /** Removes every field of that name before forwarding. */
    void removeHeader(String name);

    /** Appends a field before forwarding. */
    void addHeader(String name, String value);
}
