package io.swarmgate.proxy.internal.http2;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;

/**
 * Bounds the PING and SETTINGS frames one client connection may send per window. Netty ends a connection only when
 * their acknowledgements pile up unwritten, which the kernel's socket buffers put off for millions of frames, each
 * costing the event loop a decode and an acknowledgement; a client has no use for more than a few of either.
 */
public final class ControlFrameBudget {
    private final int maxPerWindow;
    private final long windowNanos;
    private long windowStart = System.nanoTime();
    private int spent;

    public ControlFrameBudget(int maxPerWindow, long windowNanos) {
        this.maxPerWindow = maxPerWindow;
        this.windowNanos = windowNanos;
    }

    /** @throws Http2Exception ENHANCE_YOUR_CALM, a connection error, past the window's budget */
    public void spend() throws Http2Exception {
        long now = System.nanoTime();
        if (now - windowStart > windowNanos) {
            windowStart = now;
            spent = 0;
        }
        if (++spent > maxPerWindow) {
            throw Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM,
                    "more than %d PING and SETTINGS frames in %d s", maxPerWindow, windowNanos / 1_000_000_000L);
        }
    }
}
