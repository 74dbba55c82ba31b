package io.swarmgate.proxy.internal.exchange;

import io.netty.buffer.ByteBuf;
import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.internal.upstream.MirrorSender;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.upstream.Backend;
import java.util.ArrayList;

/**
 * The copy of the request in progress that a policy asked to mirror: views of its head as the backend gets it and of
 * its body parts, kept until the request is complete and then handed to the loop's {@link MirrorSender}. A body
 * larger than {@link #MAX_BODY_BYTES} is not mirrored. The real request never waits on any of it. One per client
 * connection, reused for each exchange.
 */
final class RequestMirror {
    /** Body bytes kept for the copy; a larger body is not mirrored. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** Without an array until a route first mirrors a request: most connections never do. */
    private final ArrayList<ByteBuf> parts = new ArrayList<>();
    private Backend target;
    private Route route;
    private int bodyBytes;

    /** The request goes to {@code mirror} too: its head, encoded for the backend, is kept. */
    void begin(Backend mirror, Route exchangeRoute, ByteBuf head) {
        release();
        target = mirror;
        route = exchangeRoute;
        parts.add(head.retainedDuplicate());
    }

    /** A body part on its way to the backend: a view of it is kept while the copy's body fits. */
    void body(ByteBuf part, ProxyObserver observer) {
        if (target == null) {
            return;
        }
        if ((bodyBytes += part.readableBytes()) > MAX_BODY_BYTES) {
            observer.mirrorDropped(route, ProxyObserver.MirrorDrop.BODY_TOO_LARGE);
            release();
            return;
        }
        parts.add(part.retainedDuplicate());
    }

    /** The whole request was sent: the copy goes out, unless the loop has too many in flight. */
    void complete(MirrorSender sender, ProxyObserver observer) {
        if (target == null) {
            return;
        }
        Route mirrored = route;
        if (!sender.send(target, new ArrayList<>(parts), () -> observer.mirrorDropped(mirrored,
                ProxyObserver.MirrorDrop.FAILED))) {
            observer.mirrorDropped(mirrored, ProxyObserver.MirrorDrop.BUSY);
        }
        parts.clear();
        target = null;
        route = null;
        bodyBytes = 0;
    }

    /** The request went no further: nothing is mirrored. */
    void release() {
        if (!parts.isEmpty()) {
            parts.forEach(ByteBuf::release);
            parts.clear();
        }
        target = null;
        route = null;
        bodyBytes = 0;
    }
}
