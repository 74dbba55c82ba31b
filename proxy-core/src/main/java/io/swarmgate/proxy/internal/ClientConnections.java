package io.swarmgate.proxy.internal;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The client connections of one event loop, so the server can reach each of them when it stops without a concurrent
 * set touched by every connection. Used on its event loop only.
 */
final class ClientConnections {
    private FrontendHandler[] handlers = new FrontendHandler[256];
    private int size;

    void add(FrontendHandler handler) {
        if (size == handlers.length) {
            handlers = Arrays.copyOf(handlers, size * 2);
        }
        handler.slot = size;
        handlers[size++] = handler;
    }

    void remove(FrontendHandler handler) {
        int slot = handler.slot;
        if (slot < 0) {
            return;
        }
        FrontendHandler last = handlers[--size];
        handlers[slot] = last;
        last.slot = slot;
        handlers[size] = null;
        handler.slot = -1;
    }

    /** Visits every connection; the action may close connections (walking from the end keeps that safe). */
    void forEach(Consumer<FrontendHandler> action) {
        for (int i = size - 1; i >= 0; i--) {
            if (i < size) {
                action.accept(handlers[i]);
            }
        }
    }
}
