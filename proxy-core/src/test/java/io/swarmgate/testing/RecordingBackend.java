package io.swarmgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP/1.1 backend on plain sockets that records, per connection, the bytes it received and whether the peer closed
 * it, so a test can see which connection carried which request. One thread per connection. It answers by path:
 * <ul>
 *   <li>{@code /extra…}: a complete answer followed by stray bytes, as a broken backend may send;</li>
 *   <li>{@code /twice…}: two complete answers to the one request;</li>
 *   <li>{@code /early…}: a complete keep-alive answer as soon as the head arrived, before any of the body;</li>
 *   <li>anything else, once the Content-Length body is read: 200 with the body {@code connection N}, N counting
 *       connections from 0.</li>
 * </ul>
 */
public final class RecordingBackend implements AutoCloseable {
    private final ServerSocket server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    /** What one connection received, and whether the peer ended it. */
    public static final class Connection {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private volatile boolean closedByPeer;

        public synchronized String received() {
            return received.toString(StandardCharsets.ISO_8859_1);
        }

        private synchronized void record(int b) {
            received.write(b);
        }

        public boolean closedByPeer() {
            return closedByPeer;
        }
    }

    private RecordingBackend(ServerSocket server) {
        this.server = server;
        Thread acceptor = new Thread(this::acceptLoop, "recording-backend-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static RecordingBackend start() {
        try {
            return new RecordingBackend(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The connections accepted so far, in order. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Connection connection = new Connection();
                int index = connections.size();
                connections.add(connection);
                Thread serving = new Thread(() -> serve(socket, connection, index), "recording-connection-" + index);
                serving.setDaemon(true);
                serving.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void serve(Socket socket, Connection connection, int index) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String head;
            while ((head = readHead(in, connection)) != null) {
                String path = head.split(" ", 3)[1];
                String ok = answer("connection " + index);
                if (path.startsWith("/early")) {
                    socket.getOutputStream().write(ascii(ok));
                    continue; // the body, if it comes, is read as what follows
                }
                if (!skip(in, connection, contentLength(head))) {
                    break;
                }
                String reply = path.startsWith("/extra") ? ok + "HTTP/1.1 2"
                        : path.startsWith("/twice") ? ok + answer("a second answer") : ok;
                socket.getOutputStream().write(ascii(reply));
            }
            connection.closedByPeer = true;
        } catch (IOException e) {
            connection.closedByPeer = true; // reset by the peer
        }
    }

    private static String answer(String body) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** Reads up to the empty line ending a head; null when the peer closed first. */
    private static String readHead(InputStream in, Connection connection) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            connection.record(b);
            head.append((char) b);
            if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                return head.toString();
            }
        }
        return null;
    }

    private static boolean skip(InputStream in, Connection connection, long length) throws IOException {
        for (long i = 0; i < length; i++) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            connection.record(b);
        }
        return true;
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
