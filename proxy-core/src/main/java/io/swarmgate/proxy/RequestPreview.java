package io.swarmgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.swarmgate.proxy.internal.exchange.HeadPreview;
import io.swarmgate.proxy.policy.LocalResponse;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * What the data plane does with one request head before it reaches a backend, outside a server: the head parsed as
 * from a client's connection, its route found, the route's policies run and the head for the backend encoded, all by
 * the code a server runs. For benchmarks and for checking routing rules; a {@link ProxyServer} does not use it.
 * Not thread-safe; close it to release the parsed head.
 */
public final class RequestPreview implements AutoCloseable {
    private final HeadPreview preview;

    private RequestPreview(HeadPreview preview) {
        this.preview = preview;
    }

    /**
     * @param head a whole request head as a client sends it (request line, fields, empty line)
     * @param client the client's address, as the connection shows it
     * @param local the proxy's address the client connected to
     * @param secure whether the connection is TLS (a preview shows no client certificate)
     * @throws IllegalArgumentException when the bytes are not a request head the proxy forwards
     */
    public static RequestPreview of(byte[] head, InetSocketAddress client, InetSocketAddress local, boolean secure) {
        return new RequestPreview(HeadPreview.parse(head, client, local, secure));
    }

    /**
     * The route the request takes in {@code table}, or {@code null} when none does, or when the server would refuse
     * it with 400 because another route takes its path once {@code %2F}, {@code %5C} or {@code \} is read as {@code /}.
     */
    public @Nullable Route route(RouteTable table) {
        return preview.route(table);
    }

    /**
     * Runs the route's policies over the request and returns the head its backend gets, which the caller releases; or
     * {@code null} when a policy answers the request itself ({@link #answer}).
     *
     * @throws IllegalStateException when a policy decides later ({@link io.swarmgate.proxy.policy.PolicyResult#later})
     */
    public @Nullable ByteBuf forward(Route route, ByteBufAllocator alloc) {
        return preview.forward(route, alloc);
    }

    /** What a policy answered, after {@link #forward} returned {@code null}. */
    public LocalResponse answer() {
        return preview.answer();
    }

    @Override
    public void close() {
        preview.close();
    }
}
