package io.swarmgate.proxy.internal;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A client connection's address as requests see it: the one a PROXY protocol header carried, when the listener
 * accepts the protocol and the header named one, else the connection's peer.
 */
final class ClientAddress {
    private static final AttributeKey<InetSocketAddress> PROXIED = AttributeKey.valueOf("swarmgate.proxiedClient");

    private ClientAddress() {
    }

    static SocketAddress of(Channel channel) {
        InetSocketAddress proxied = channel.attr(PROXIED).get();
        return proxied != null ? proxied : channel.remoteAddress();
    }

    /** Set once, by {@link ProxyProtocolHeader}, before the connection's HTTP handlers see it. */
    static void proxied(Channel channel, InetSocketAddress client) {
        channel.attr(PROXIED).set(client);
    }
}
