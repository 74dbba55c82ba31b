package io.swarmgate.proxy.internal;

/**
 * A client's end as its event loop keeps it (an HTTP/1.1 connection, or an HTTP/2 stream's lane): what the loop asks
 * of it when the server stops. The loop holds it by this interface, not by the exchange's class.
 */
interface ClientExchange extends SlotArray.Member {
    /** The server is stopping: close once idle, after a short window for a request already on its way. */
    void drain();

    /** The grace period is over: close now. */
    void close();
}
