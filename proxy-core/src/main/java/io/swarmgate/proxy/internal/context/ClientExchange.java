package io.swarmgate.proxy.internal.context;

/**
 * A client's end as its event loop keeps it (an HTTP/1.1 connection, or an HTTP/2 stream's lane): what the loop asks
 * of it when the server stops. The loop holds it by this interface, not by the exchange's class.
 *
 * <p>Internal: public for {@code front} only.
 */
public interface ClientExchange extends Drainable {
    /** The grace period is over: close now. */
    void close();
}
