package io.swarmgate.proxy.internal.io;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A client connection's address as requests see it: the one a PROXY protocol header carried, when the listener
 * accepts the protocol and the header named one, else the connection's peer.
 *
 * <p>Internal: public for {@code exchange}, {@code front}, {@code server} only.
 */
public final class ClientAddress {
    private static final AttributeKey<InetSocketAddress> PROXIED = AttributeKey.valueOf("swarmgate.proxiedClient");

    private ClientAddress() {
    }

    public static SocketAddress of(Channel channel) {
        // attr() would make the attribute, and the channel's table of them, on every connection just to read null.
        InetSocketAddress proxied = channel.hasAttr(PROXIED) ? channel.attr(PROXIED).get() : null;
        return proxied != null ? proxied : channel.remoteAddress();
    }

    /** Set once, by the PROXY protocol header's handler ({@code ProxyProtocolHeader}), before HTTP handlers see it. */
    public static void proxied(Channel channel, InetSocketAddress client) {
        channel.attr(PROXIED).set(client);
    }
}
