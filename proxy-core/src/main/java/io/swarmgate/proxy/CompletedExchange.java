package io.swarmgate.proxy;

import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.proxy.route.Route;
import java.net.SocketAddress;

/**
 * A request and its answer as the data plane saw them, for access logs and byte counters. The data plane reuses one
 * view per connection: read it during {@link ProxyObserver#exchangeCompleted(CompletedExchange)}, do not keep it.
 */
public interface CompletedExchange {
    /** The route that took the request, or {@code null} when none matched or it was rejected first. */
    Route route();

    HttpMethod method();

    /** The request target as the client sent it, or {@code null} when the request head could not be read. */
    String target();

    /** {@code HTTP/1.1}, {@code HTTP/1.0}, {@code HTTP/2.0} or {@code HTTP/3.0}. */
    String protocol();

    /** The status sent to the client, or 0 when the connection was cut before a complete answer. */
    int status();

    /** From the request head's arrival to the end of the answer. */
    long durationNanos();

    /** The client's address. */
    SocketAddress client();

    /** The backend connection the request went to last, or {@code null} when it went to none. */
    SocketAddress upstream();

    /** Bytes read from the client since the previous exchange ended, head included. */
    long receivedBytes();

    /** Bytes written to the client for this answer, head included. */
    long sentBytes();

    /** Why the proxy answered itself with 502, 503 or 504, or cut the answer off; {@code null} when it did not. */
    FailureReason failure();

    /**
     * The policy that answered the request itself, as it names itself ({@code ratelimit}, {@code auth},
     * {@code breaker}, {@code concurrency}), or {@code null} when none did or it gave no name.
     */
    String policy();
}
