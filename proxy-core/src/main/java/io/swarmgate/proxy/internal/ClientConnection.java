package io.swarmgate.proxy.internal;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** What the proxy knows of a client connection, computed once when it opens. */
final class ClientConnection {
    private final String address;
    private final int localPort;
    private final String localPortText;

    ClientConnection(Channel channel) {
        this.address = hostOf(channel.remoteAddress());
        SocketAddress local = channel.localAddress();
        this.localPort = local instanceof InetSocketAddress inet ? inet.getPort() : 0;
        this.localPortText = Integer.toString(localPort);
    }

    String address() {
        return address;
    }

    int localPort() {
        return localPort;
    }

    String localPortText() {
        return localPortText;
    }

    private static String hostOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return "unknown";
    }
}
