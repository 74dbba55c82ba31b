package io.swarmgate.proxy.internal.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import io.swarmgate.proxy.internal.http1.RequestHead;
import io.swarmgate.proxy.internal.http1.RequestParser;
import io.swarmgate.proxy.internal.io.Buffers;
import io.swarmgate.proxy.policy.LocalResponse;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One request head taken through the data plane's first steps outside a server: parsed as from a socket, its target
 * normalised, its route found, the route's policies run and the backend's head encoded, by the classes an exchange
 * uses. It backs {@link io.swarmgate.proxy.RequestPreview}.
 *
 * <p>Internal: public for {@code proxy} only.
 */
public final class HeadPreview implements AutoCloseable {
    private final RequestHead head;
    private final ClientConnection client;
    private final String host;
    private final String uri;
    private final @Nullable String normalized;
    private final @Nullable String authority;
    /** Outside a server there is no I/O thread to ask a service on: a policy that would is refused, as below. */
    private final RequestForwarding forwarding = new RequestForwarding(() -> {
        throw new IllegalStateException("a preview asks no service");
    });

    private HeadPreview(RequestHead head, ClientConnection client) {
        this.head = head;
        this.client = client;
        String sent = head.target();
        String origin = RequestTargets.originForm(head.method(), sent);
        String path = origin == null ? null : PathNormalizer.normalizeTarget(origin);
        if (path == null) {
            head.release();
            throw new IllegalArgumentException("request target: '" + sent + "' (expected: one the proxy forwards)");
        }
        this.authority = RequestTargets.authority(sent);
        this.host = authority != null ? authority : head.host();
        this.uri = path;
        this.normalized = path.equals(sent) ? null : path;
    }

    /** @param request a whole request head, as the client sends it */
    public static HeadPreview parse(byte[] request, SocketAddress remote, SocketAddress local, boolean secure) {
        List<Object> parts = new ArrayList<>(2);
        // From a pooled direct buffer, as from a socket read: the head is copied out by address, not by array.
        ByteBuf in = Buffers.ALLOCATOR.directBuffer(request.length).writeBytes(request);
        try {
            new RequestParser().parse(in, parts);
        } finally {
            in.release();
        }
        if (parts.isEmpty() || !(parts.get(0) instanceof RequestHead head)) {
            parts.forEach(ReferenceCountUtil::release);
            throw new IllegalArgumentException("request: not a whole request head (" + parts + ")");
        }
        parts.subList(1, parts.size()).forEach(ReferenceCountUtil::release);
        return new HeadPreview(head, new ClientConnection(remote, local, secure));
    }

    /** The route, or {@code null} for none or for a path the server refuses as another route's (PathNormalizer). */
    public @Nullable Route route(RouteTable table) {
        Route route = table.find(host, uri, client.localPort(), head);
        return route == null || PathNormalizer.routedElsewhere(table, route, host, uri, client.localPort(), head)
                ? null : route;
    }

    /**
     * The head the route's backend gets, or {@code null} when a policy answered ({@link #answer}).
     *
     * @throws IllegalStateException when a policy decides later: a preview takes only decisions made at once
     */
    public @Nullable ByteBuf forward(Route route, ByteBufAllocator alloc) {
        // The head previewed is HTTP/1.1 text, as a backend of any protocol would be sent it from an HTTP/1.1 client.
        ByteBuf forwarded = (ByteBuf) forwarding.forward(route.policies(), Runnable::run, head, host, uri, normalized,
                authority, Upgrades.relayed(head, route.upgradeProtocols()), false, client, null, alloc);
        forwarding.ended(); // a preview's exchange ends with its head: what the policies hold for it goes back
        if (forwarded == null && forwarding.decision() != null) {
            forwarding.release();
            throw new IllegalStateException("a policy of " + route.serviceName() + " decides later");
        }
        return forwarded;
    }

    public LocalResponse answer() {
        return forwarding.answer();
    }

    @Override
    public void close() {
        head.release();
    }
}
