package io.swarmgate.proxy.internal.context;

import io.swarmgate.proxy.internal.io.SlotArray;

/**
 * A connection its event loop closes when the server stops, once it is idle: a client's end, or an HTTP/2
 * connection. The loop holds it by this interface, not by its handler's class.
 *
 * <p>Internal: public for {@code front} only.
 */
public interface Drainable extends SlotArray.Member {
    /** The server is stopping: close once idle, after a short window for a request already on its way. */
    void drain();
}
