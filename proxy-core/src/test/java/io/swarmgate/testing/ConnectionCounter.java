package io.swarmgate.testing;

import io.swarmgate.proxy.ProxyObserver;
import java.util.concurrent.atomic.AtomicInteger;

/** An observer that counts the client connections a proxy accepted and closed. */
public class ConnectionCounter implements ProxyObserver {
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    @Override
    public void connectionOpened() {
        opened.incrementAndGet();
    }

    @Override
    public void connectionClosed() {
        closed.incrementAndGet();
    }

    public int opened() {
        return opened.get();
    }

    public int closed() {
        return closed.get();
    }
}
