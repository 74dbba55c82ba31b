package io.swarmgate.proxy;

import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.tcp.StreamRoute;
import java.net.InetSocketAddress;

/**
 * What the data plane reports as it serves, for metrics and logs. Called on the I/O threads, once per event: an
 * implementation must be quick, must not block, and should not allocate per call.
 */
public interface ProxyObserver {
    /** Observes nothing. */
    ProxyObserver NONE = new ProxyObserver() {
    };

    /** A client connection was accepted. */
    default void connectionOpened() {
    }

    /** A client connection ended. */
    default void connectionClosed() {
    }

    /**
     * A request got its answer, or failed to.
     *
     * @param route          the route that took it, or {@code null} when none matched or it was rejected first
     * @param method         the request's method
     * @param status         the status sent to the client, or 0 when the connection was cut before a complete answer
     * @param durationNanos  from the request head's arrival to the end of the answer
     */
    default void exchangeCompleted(Route route, HttpMethod method, int status, long durationNanos) {
    }

    /**
     * A request got its answer, or failed to, with the addresses and byte counts an access log needs. The data plane
     * reports each exchange here; by default it goes on to the summary above.
     */
    default void exchangeCompleted(CompletedExchange exchange) {
        exchangeCompleted(exchange.route(), exchange.method(), exchange.status(), exchange.durationNanos());
    }

    /** A request is being sent again, to another connection or task, after its first try failed. */
    default void requestRetried(Route route) {
    }

    /** A task of the route's service refused, reset or did not answer, and gets no request for a while. */
    /** Why a copy of a request was not mirrored, or got no answer. */
    enum MirrorDrop {
        /** Its body was larger than the copy may keep. */
        BODY_TOO_LARGE,
        /** Too many copies were in flight already. */
        BUSY,
        /** The mirror could not be reached, or did not answer in time. */
        FAILED,
        /** The request went to an h2c backend as HTTP/2 frames (gRPC), which copies in HTTP/1.1 cannot carry. */
        H2C
    }

    /** A request of the route that was to be mirrored was not, or its copy failed; the request itself was served. */
    default void mirrorDropped(Route route, MirrorDrop reason) {
    }

    default void taskEjected(Route route, InetSocketAddress task) {
    }

    /** A task of the TCP route's service refused a relay's connection, and gets no connection for a while. */
    default void taskEjected(StreamRoute route, InetSocketAddress task) {
    }

    /** This observer, then {@code next}, told of every event. */
    default ProxyObserver andThen(ProxyObserver next) {
        ProxyObserver first = this;
        return new ProxyObserver() {
            @Override
            public void connectionOpened() {
                first.connectionOpened();
                next.connectionOpened();
            }

            @Override
            public void connectionClosed() {
                first.connectionClosed();
                next.connectionClosed();
            }

            @Override
            public void exchangeCompleted(CompletedExchange exchange) {
                first.exchangeCompleted(exchange);
                next.exchangeCompleted(exchange);
            }

            @Override
            public void requestRetried(Route route) {
                first.requestRetried(route);
                next.requestRetried(route);
            }

            @Override
            public void mirrorDropped(Route route, MirrorDrop reason) {
                ProxyObserver.this.mirrorDropped(route, reason);
                next.mirrorDropped(route, reason);
            }

            @Override
            public void taskEjected(Route route, InetSocketAddress task) {
                first.taskEjected(route, task);
                next.taskEjected(route, task);
            }

            @Override
            public void taskEjected(StreamRoute route, InetSocketAddress task) {
                first.taskEjected(route, task);
                next.taskEjected(route, task);
            }
        };
    }
}
