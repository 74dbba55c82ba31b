package io.swarmgate.discovery.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A fault injector in front of the real Docker engine: a loopback TCP port that relays to the engine's unix socket
 * until told to cut every connection (an event stream breaks) or to answer 500 to everything (the API fails), and
 * relays again when told to recover. Point discovery at {@link #dockerHost()}.
 */
public final class DockerApiFaults implements AutoCloseable {
    private static final byte[] SERVER_ERROR = ("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json"
            + "\r\nContent-Length: 30\r\nConnection: close\r\n\r\n{\"message\":\"injected failure\"}")
            .getBytes(StandardCharsets.US_ASCII);

    private final UnixDomainSocketAddress engine;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "docker-api-faults");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<AutoCloseable> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean failing;

    private DockerApiFaults(UnixDomainSocketAddress engine) throws IOException {
        this.engine = engine;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    /** Relays to the engine at {@code dockerHost}, which must be a {@code unix://} address. */
    public static DockerApiFaults inFrontOf(String dockerHost) throws IOException {
        URI uri = URI.create(dockerHost);
        if (!"unix".equals(uri.getScheme())) {
            throw new IllegalArgumentException("dockerHost: '" + dockerHost + "' (expected: unix:///path)");
        }
        return new DockerApiFaults(UnixDomainSocketAddress.of(uri.getPath()));
    }

    public String dockerHost() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** Cuts every open connection, the event stream's included. */
    public void cutConnections() {
        connections.forEach(DockerApiFaults::closeQuietly);
        connections.clear();
    }

    /** From now on every request gets a 500; open connections are cut so that none keeps relaying. */
    public void answer500() {
        failing = true;
        cutConnections();
    }

    /** Relays to the engine again. */
    public void recover() {
        failing = false;
    }

    @Override
    public void close() {
        closeQuietly(server);
        cutConnections();
        threads.shutdownNow();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try {
            if (failing) {
                skipRequestHead(client.getInputStream());
                client.getOutputStream().write(SERVER_ERROR);
                closeQuietly(client);
                return;
            }
            SocketChannel upstream = SocketChannel.open(StandardProtocolFamily.UNIX);
            connections.add(upstream);
            upstream.connect(engine);
            threads.execute(() -> toClient(upstream, client));
            toEngine(client, upstream);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    // The channel is read and written directly: its stream adapters share one lock between reading and writing.
    private static void toEngine(Socket client, SocketChannel upstream) {
        try (client; upstream) {
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
                while (bytes.hasRemaining()) {
                    upstream.write(bytes);
                }
            }
        } catch (IOException e) {
            // Either side closed: the other is closed with it.
        }
    }

    private static void toClient(SocketChannel upstream, Socket client) {
        try (client; upstream) {
            OutputStream out = client.getOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (upstream.read(buffer) > 0) {
                out.write(buffer.array(), 0, buffer.position());
                out.flush();
                buffer.clear();
            }
        } catch (IOException e) {
            // Either side closed: the other is closed with it.
        }
    }

    private static void skipRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Already closed or broken: either way it is gone.
        }
    }
}
