package io.swarmgate.testing;

import io.swarmgate.proxy.tls.SelfSignedCertificate;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server with its own self-signed certificate for one host name: it answers each line a client sends with
 * {@code <host>: <line>} and records the server names the handshakes asked for.
 */
public final class TlsNameBackend implements AutoCloseable {
    private final String host;
    private final ServerCertificate certificate;
    private final SSLServerSocket server;
    private final List<String> requestedNames = new CopyOnWriteArrayList<>();

    private TlsNameBackend(String host) throws GeneralSecurityException, IOException {
        this.host = host;
        this.certificate = SelfSignedCertificate.create(host, List.of(host));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(host, certificate.key(), new char[0], certificate.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, new char[0]);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(factory.getKeyManagers(), null, null);
        server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "tls-backend-" + host);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static TlsNameBackend start(String host) {
        try {
            return new TlsNameBackend(host);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The certificate it presents, for a client to trust. */
    public X509Certificate certificate() {
        return certificate.chain().get(0);
    }

    /** The SNI names of the handshakes it completed. */
    public List<String> requestedNames() {
        return requestedNames;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                SSLSocket socket = (SSLSocket) server.accept();
                Thread connection = new Thread(() -> answer(socket), "tls-backend-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void answer(SSLSocket socket) {
        try (socket) {
            socket.startHandshake();
            for (SNIServerName name : ((ExtendedSSLSession) socket.getSession()).getRequestedServerNames()) {
                requestedNames.add(new String(name.getEncoded(), StandardCharsets.US_ASCII));
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                out.write((host + ": " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // the client left or the handshake failed: the connection ends
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
