package io.swarmgate.proxy.internal.upstream;

import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.swarmgate.proxy.upstream.ProxyHeader;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * The PROXY protocol header a backend gets first: the client's address and port, and the address the client connected
 * to. Both must be of one family; a listener address of the other family is written as that family's equivalent.
 *
 * <p>Internal: public for {@code exchange} only.
 */
public final class ProxyHeaders {
    private ProxyHeaders() {
    }

    /**
     * @param client     the client's IP address as text (after trusted proxies), or not an IP when unknown
     * @param clientPort its port, 0 when a trusted proxy named the client
     * @param local      the proxy's address the client connected to
     */
    public static HAProxyMessage of(ProxyHeader header, String client, int clientPort, @Nullable SocketAddress local) {
        HAProxyProtocolVersion version = header == ProxyHeader.V1 ? HAProxyProtocolVersion.V1
                : HAProxyProtocolVersion.V2;
        boolean v4 = NetUtil.isValidIpV4Address(client);
        if (!(local instanceof InetSocketAddress listener) || listener.getAddress() == null
                || (!v4 && !NetUtil.isValidIpV6Address(client))) {
            return new HAProxyMessage(version, HAProxyCommand.PROXY, HAProxyProxiedProtocol.UNKNOWN, null, null, 0, 0);
        }
        boolean localV4 = listener.getAddress() instanceof Inet4Address;
        String destination = listener.getAddress().getHostAddress();
        if (v4 != localV4) {
            destination = v4 ? "0.0.0.0" : "::ffff:" + destination;
        }
        return new HAProxyMessage(version, HAProxyCommand.PROXY,
                v4 ? HAProxyProxiedProtocol.TCP4 : HAProxyProxiedProtocol.TCP6, client, destination, clientPort,
                listener.getPort());
    }
}
