package io.swarmgate.proxy.internal.exchange;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.swarmgate.proxy.internal.io.ClientAddress;
import io.swarmgate.proxy.tls.CertificateStore;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;

/** What the proxy knows of a client connection, computed once when it opens, in the forms requests need. *
 * <p>Internal: public for {@code front} only.
 */
public final class ClientConnection {
    private final String addressText;
    private final byte[] address;
    private final int localPort;
    private final byte[] localPortText;
    private final boolean secure;
    /** {@code null} for a connection described by its addresses only, which showed no client certificate. */
    private final @Nullable Channel channel;
    private static final byte[] HTTP = "http".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTPS = "https".getBytes(StandardCharsets.US_ASCII);

    public ClientConnection(Channel channel, boolean secure) {
        this(channel, ClientAddress.of(channel), channel.localAddress(), secure);
    }

    /** A connection from {@code remote} to {@code local} as described, without a channel. */
    public ClientConnection(SocketAddress remote, SocketAddress local, boolean secure) {
        this(null, remote, local, secure);
    }

    private ClientConnection(@Nullable Channel channel, SocketAddress remote, SocketAddress local, boolean secure) {
        this.channel = channel;
        this.secure = secure;
        this.addressText = hostOf(remote);
        this.address = addressText.getBytes(StandardCharsets.US_ASCII);
        this.localPort = local instanceof InetSocketAddress inet ? inet.getPort() : 0;
        this.localPortText = Integer.toString(localPort).getBytes(StandardCharsets.US_ASCII);
    }

    /** The client's IP address as text, for X-Forwarded-For. */
    byte[] address() {
        return address;
    }

    String addressText() {
        return addressText;
    }

    /** Whether it came over TLS. */
    public boolean secure() {
        return secure;
    }

    /** Whether the client showed, over TLS, a certificate that leads to one of the client authorities. */
    boolean clientCertificateVerified(CertificateStore certificates) {
        SslHandler tls = secure && channel != null ? channel.pipeline().get(SslHandler.class) : null;
        if (tls == null || certificates == null) {
            return false;
        }
        try {
            return certificates.verifiesClient(tls.engine().getSession().getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    /** Its scheme as text, for X-Forwarded-Proto. */
    byte[] proto() {
        return secure ? HTTPS : HTTP;
    }

    int localPort() {
        return localPort;
    }

    /** The port it connected to as text, for X-Forwarded-Port. */
    byte[] localPortText() {
        return localPortText;
    }

    private static String hostOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return "unknown";
    }
}
