package io.swarmgate.proxy.internal.head;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http2.Http2Headers;
import io.swarmgate.proxy.route.RequestHeaders;
import java.util.List;

/**
 * A client's request head as the exchange reads it: an HTTP/1.1 request's parsed head, or an HTTP/2 stream's header
 * list. Routing, rules and the access log read it the same way whichever it is; it is encoded once, for the backend.
 */
public interface ClientRequestHead extends RequestHeaders {
    HttpMethod method();

    /** The request target exactly as sent ({@code :path} for HTTP/2). */
    String target();

    /** 0 for HTTP/1.0; 1 for HTTP/1.1 and HTTP/2, which both require a host. */
    int versionMinor();

    /** Whether the client's connection may serve another request after this one. */
    boolean keepAlive();

    /** Whether it asks for a protocol upgrade (HTTP/1.1 only). */
    boolean upgrade();

    /** Whether a body follows the head. */
    boolean hasBody();

    /** The declared body length, or -1 without one. */
    long contentLength();

    /** How many hosts it names (Host fields, or HTTP/2's {@code :authority}); HTTP/1.1 requires exactly one. */
    int hosts();

    /** The host it names, or {@code null} unless it names exactly one. */
    String host();

    /** Every {@code X-Forwarded-For} field's value in order, joined by commas, or {@code null} without one. */
    String forwardedFor();

    /**
     * The head to send an HTTP/1.1 backend: HTTP/1.1 with the given target, the client's fields minus hop-by-hop ones
     * and those the route's filters remove, the fields they add, and X-Forwarded-For (appended to), -Proto, -Host and
     * -Port describing the client's connection. The client's {@code Upgrade} field is never copied: an upgrade the
     * route relays is written anew with the protocols it allows, and {@code Connection: Upgrade}.
     *
     * @param target  the origin-form target to send, or {@code null} to send the one received
     * @param host    the Host to send instead of the client's (an absolute-form target's authority), or {@code null}
     * @param upgrade the protocols of the upgrade to relay ({@code Upgrade} field value), or {@code null} for none
     * @param removed lower-case names of fields to leave out
     * @param added   whole field lines to append
     */
    ByteBuf encodeForBackend(ByteBufAllocator alloc, String target, String host,
                             String upgrade, byte[] clientAddress, byte[] proto, byte[] localPort,
                             byte[][] removed, List<byte[]> added);

    /**
     * Whether the head goes to an h2c backend as an HTTP/2 header list ({@link #encodeForH2cBackend}) and its body as
     * the DATA it came in, frames to frames: an HTTP/2 stream's does. An HTTP/1.1 head goes as text, through the
     * backend connection's bridge. Asked once the route is known, before the body is handed on, which follows it.
     */
    default boolean forwardAsFrames() {
        return false;
    }

    /**
     * The header list to send an h2c backend, for a head that {@link #forwardAsFrames}: the same fields as
     * {@link #encodeForBackend}'s (hop-by-hop ones out, the route's edits, X-Forwarded-*), with {@code te: trailers},
     * which gRPC servers require, as the proxy relays trailers.
     */
    default Http2Headers encodeForH2cBackend(String target, String host, byte[] clientAddress, byte[] proto,
                                             byte[] localPort, byte[][] removed, List<byte[]> added) {
        throw new IllegalStateException("an HTTP/1.1 head goes to an h2c backend as text");
    }

    /** Keeps what the head holds through one more {@link #release}: a policy's decision still to come needs it. */
    void keep();

    /** The exchange is done reading it; returns whether what it held was freed. */
    boolean release();
}
