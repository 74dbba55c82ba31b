package io.swarmgate.testing;

import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.proxy.CompletedExchange;
import io.swarmgate.proxy.FailureReason;
import io.swarmgate.proxy.route.Route;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * One exchange view reused for request after request, as the data plane's per-connection record is, its figures
 * varying with a counter: for measuring what reporting an exchange costs.
 */
public final class ReusedExchange implements CompletedExchange {
    private static final SocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private final Route route;
    private int n;

    public ReusedExchange(Route route) {
        this.route = route;
    }

    /** The next exchange. */
    public ReusedExchange next() {
        n++;
        return this;
    }

    @Override
    public Route route() {
        return route;
    }

    @Override
    public HttpMethod method() {
        return (n & 1) == 0 ? HttpMethod.GET : HttpMethod.POST;
    }

    @Override
    public String target() {
        return "/demo/item";
    }

    @Override
    public String protocol() {
        return "HTTP/1.1";
    }

    @Override
    public int status() {
        return 200 + (n & 3) * 100;
    }

    @Override
    public long durationNanos() {
        return 400_000L + (n & 1023) * 1000L;
    }

    @Override
    public SocketAddress client() {
        return CLIENT;
    }

    @Override
    public SocketAddress upstream() {
        return null;
    }

    @Override
    public long receivedBytes() {
        return 80 + (n & 7);
    }

    @Override
    public long sentBytes() {
        return 160 + (n & 63);
    }

    @Override
    public FailureReason failure() {
        return null;
    }

    @Override
    public String policy() {
        return null;
    }
}
