package io.swarmgate.proxy.policy;

import io.netty.bootstrap.Bootstrap;
import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.proxy.upstream.Backend;
import java.time.Duration;

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

    /**
     * A client for a policy that asks another service: a new {@link Bootstrap} on this request's I/O thread, with the
     * proxy's transport, DNS resolver and connect timeout, so that the answer comes on the request's own thread and
     * nothing blocks. The policy adds its handler and connects.
     */
    Bootstrap connector();

    /**
     * Runs {@code callback} once when this exchange ends, however it ends: answered by the backend or a policy,
     * failed, cut off by the client or by a timeout. It runs on the request's I/O thread and must not block; a policy
     * that holds something for the request (a permit, say) gives it back here.
     */
    void onEnd(Runnable callback);

    /** The body's declared length, or -1 when it declares none (a chunked body, or none at all). */
    long contentLength();

    /** Forwards the request with this path (the query is kept). */
    void path(String path);

    /** Removes every field of that name before forwarding. */
    void removeHeader(String name);

    /** Appends a field before forwarding. */
    void addHeader(String name, String value);

    /**
     * Cuts the body off past this many bytes, counted as they arrive (an HTTP/1.1 chunked body with its framing): the
     * backend gets no more of it, the client a 413 if its answer has not started.
     */
    void limitBody(long maxBytes);

    /** How long the backend may stay silent during this exchange, instead of the server's setting. */
    void backendTimeout(Duration timeout);

    /** How long the connection may stay silent both ways if the request upgrades it (WebSocket). */
    void tunnelTimeout(Duration timeout);

    /**
     * Edits this request's answer too, after the route's own edits: for a field that depends on the request (the
     * one origin of several that CORS echoes). Routes whose policies never call it pay nothing for it.
     */
    void editAnswer(HeaderEdits edits);

    /**
     * Forwards the request to this backend instead of the route's: a variant of the service (a canary). Its tasks are
     * balanced, checked and ejected as the route's own would be.
     */
    void backend(Backend backend);

    /**
     * Sends a copy of the request to this backend too, once the request is complete, and forgets its answer; the
     * request itself never waits on it.
     */
    void mirror(Backend mirror);

    /** Compresses the answer with {@code algorithm}, which the client accepts, if its type is one of {@code types}'. */
    void compressAnswer(Compression types, String algorithm);
}
