package io.swarmgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/** A TLS client that sends SNI and trusts any certificate, so tests can look at the one it was shown. */
public final class TlsTestClient implements AutoCloseable {
    private final SSLSocket socket;

    private TlsTestClient(SSLSocket socket) {
        this.socket = socket;
    }

    /** Connects to a loopback port and completes the handshake, asking for {@code serverName}. */
    public static TlsTestClient open(int port, String serverName) throws Exception {
        return open(port, serverName, null, null);
    }

    /** As {@link #open(int, String)}, showing this client certificate when the server asks for one. */
    public static TlsTestClient open(int port, String serverName, PrivateKey key, X509Certificate certificate)
            throws Exception {
        return open(port, serverName, key, certificate, new byte[0], List.of());
    }

    /** As {@link #open(int, String)}, sending {@code preamble} (a PROXY protocol header) before the handshake. */
    public static TlsTestClient openAfter(byte[] preamble, int port, String serverName) throws Exception {
        return open(port, serverName, null, null, preamble, List.of());
    }

    /** As {@link #open(int, String)}, offering these protocols by ALPN. */
    public static TlsTestClient offering(int port, String serverName, String... protocols) throws Exception {
        return open(port, serverName, null, null, new byte[0], List.of(protocols));
    }

    private static TlsTestClient open(int port, String serverName, PrivateKey key, X509Certificate certificate,
                                      byte[] preamble, List<String> protocols) throws Exception {
        KeyManager[] keys = null;
        if (key != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", key, new char[0], new X509Certificate[] {certificate});
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, new char[0]);
            keys = factory.getKeyManagers();
        }
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys, new TrustManager[] {new TrustingManager()}, new SecureRandom());
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        plain.getOutputStream().write(preamble);
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, serverName, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(serverName)));
        if (!protocols.isEmpty()) {
            parameters.setApplicationProtocols(protocols.toArray(String[]::new));
        }
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return new TlsTestClient(socket);
    }

    /** The certificate the server presented. */
    public X509Certificate leaf() throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    /** The protocol ALPN chose, empty without one. */
    public String applicationProtocol() {
        return socket.getApplicationProtocol();
    }

    /** The DNS names of the certificate the server presented. */
    public List<String> serverNames() throws Exception {
        return leaf().getSubjectAlternativeNames().stream().map(entry -> entry.get(1).toString()).toList();
    }

    /** Sends a request and reads one answer with a Content-Length body. */
    public String exchange(String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
