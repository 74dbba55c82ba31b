package io.swarmgate.proxy.internal.exchange;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import io.swarmgate.proxy.TrustedProxies;
import io.swarmgate.proxy.internal.head.ClientRequestHead;
import io.swarmgate.proxy.internal.io.ClientAddress;
import io.swarmgate.proxy.tls.CertificateStore;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;

/** What the proxy knows of a client connection, computed once when it opens, in the forms requests need.
 *
 * <p>Internal: public for {@code front} only.
 */
public final class ClientConnection {
    private final byte[] address;
    /** Made when a policy first asks: forwarding needs the bytes alone. */
    private @Nullable String addressText;
    /** The peer's port; the PROXY protocol header a backend may get names it. */
    private final int port;
    private final @Nullable SocketAddress local;
    private final int localPort;
    private final byte[] localPortText;
    private final boolean secure;
    /** The proxies whose {@code X-Forwarded-For} names the client, when the peer is one of them; else null. */
    private final @Nullable TrustedProxies trustedPeer;
    /** {@code null} for a connection described by its addresses only, which showed no client certificate. */
    private final @Nullable Channel channel;
    /** The handshake of a connection whose TLS is not an {@link SslHandler} of its pipeline (QUIC's); else null. */
    private final @Nullable SSLEngine tls;
    private static final byte[] HTTP = "http".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HTTPS = "https".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNKNOWN = "unknown".getBytes(StandardCharsets.US_ASCII);

    public ClientConnection(Channel channel, boolean secure, TrustedProxies trusted) {
        this(channel, ClientAddress.of(channel), channel.localAddress(), secure, trusted);
    }

    /** A connection from {@code remote} to {@code local} as described, without a channel. */
    public ClientConnection(SocketAddress remote, SocketAddress local, boolean secure) {
        this(null, remote, local, secure, TrustedProxies.NONE);
    }

    /** A QUIC connection from {@code remote} to {@code local}, whose TLS handshake is {@code tls}'s. */
    public ClientConnection(SocketAddress remote, SocketAddress local, SSLEngine tls) {
        this(null, tls, remote, local, true, TrustedProxies.NONE);
    }

    private ClientConnection(@Nullable Channel channel, SocketAddress remote, SocketAddress local, boolean secure,
                             TrustedProxies trusted) {
        this(channel, null, remote, local, secure, trusted);
    }

    private ClientConnection(@Nullable Channel channel, @Nullable SSLEngine tls, SocketAddress remote,
                             SocketAddress local, boolean secure, TrustedProxies trusted) {
        this.channel = channel;
        this.tls = tls;
        this.secure = secure;
        this.address = hostOf(remote);
        this.port = remote instanceof InetSocketAddress inet ? inet.getPort() : 0;
        this.local = local;
        this.trustedPeer = !trusted.isEmpty() && trusted.trusts(addressText()) ? trusted : null;
        this.localPort = local instanceof InetSocketAddress inet ? inet.getPort() : 0;
        this.localPortText = Integer.toString(localPort).getBytes(StandardCharsets.US_ASCII);
    }

    /** The client's IP address as text, for X-Forwarded-For. */
    byte[] address() {
        return address;
    }

    String addressText() {
        String text = addressText;
        if (text == null) {
            text = new String(address, StandardCharsets.US_ASCII);
            addressText = text;
        }
        return text;
    }

    /** Whether the peer is a trusted proxy, whose requests name their client in {@code X-Forwarded-For}. */
    boolean peerTrusted() {
        return trustedPeer != null;
    }

    /** The client of a request: the peer's address, or the one a trusted peer's {@code X-Forwarded-For} names. */
    String clientAddress(ClientRequestHead head) {
        return trustedPeer == null ? addressText() : trustedPeer.client(addressText(), head.forwardedFor());
    }

    /** The port of a request's client: the peer's, or 0 for one a trusted peer's {@code X-Forwarded-For} names. */
    int clientPort() {
        return trustedPeer == null ? port : 0;
    }

    /** The proxy's address the client connected to. */
    @Nullable SocketAddress localAddress() {
        return local;
    }

    /** The client of a request from a trusted peer, as the access log shows it. */
    InetSocketAddress forwardedClient(ClientRequestHead head) {
        return new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(clientAddress(head)), 0);
    }

    /** Whether it came over TLS. */
    public boolean secure() {
        return secure;
    }

    /** Whether the client showed, over TLS, a certificate that leads to one of the client authorities. */
    boolean clientCertificateVerified(CertificateStore certificates) {
        SSLEngine handshake = handshake();
        if (handshake == null || certificates == null) {
            return false;
        }
        try {
            return certificates.verifiesClient(handshake.getSession().getPeerCertificates());
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    private @Nullable SSLEngine handshake() {
        if (tls != null) {
            return tls;
        }
        SslHandler handler = secure && channel != null ? channel.pipeline().get(SslHandler.class) : null;
        return handler == null ? null : handler.engine();
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

    /**
     * The address as ASCII text. An IPv4 address, nearly every client's, is written straight into its bytes: the
     * JDK's text goes through a builder and a string on every connection.
     */
    private static byte[] hostOf(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return UNKNOWN;
        }
        if (!(inet.getAddress() instanceof Inet4Address v4)) {
            return inet.getAddress().getHostAddress().getBytes(StandardCharsets.US_ASCII);
        }
        byte[] octets = v4.getAddress();
        int length = 3;
        for (byte octet : octets) {
            int value = octet & 0xff;
            length += value >= 100 ? 3 : value >= 10 ? 2 : 1;
        }
        byte[] text = new byte[length];
        int at = 0;
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                text[at++] = '.';
            }
            int value = octets[i] & 0xff;
            if (value >= 100) {
                text[at++] = (byte) ('0' + value / 100);
            }
            if (value >= 10) {
                text[at++] = (byte) ('0' + value / 10 % 10);
            }
            text[at++] = (byte) ('0' + value % 10);
        }
        return text;
    }
}
