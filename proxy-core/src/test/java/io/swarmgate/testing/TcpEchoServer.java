package io.swarmgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A redis-like TCP backend: echoes every byte back until the client ends its output, then ends its own (half-close),
 * one thread per connection; optionally it speaks first, with a greeting. Counts the connections it accepted.
 */
public final class TcpEchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicLong echoed = new AtomicLong();
    private final byte[] greeting;

    private TcpEchoServer(ServerSocket server, String greeting) {
        this.server = server;
        this.greeting = greeting.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Thread acceptor = new Thread(this::acceptLoop, "tcp-echo-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** On a free loopback port. */
    public static TcpEchoServer start() {
        return start("127.0.0.1", 0);
    }

    /** On a free loopback port, sending {@code greeting} to each client as soon as it connects. */
    public static TcpEchoServer greeting(String greeting) {
        return start("127.0.0.1", 0, greeting);
    }

    public static TcpEchoServer start(String address, int port) {
        return start(address, port, "");
    }

    private static TcpEchoServer start(String address, int port, String greeting) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return new TcpEchoServer(server, greeting);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Bytes echoed so far, over every connection. */
    public long echoed() {
        return echoed.get();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                Thread echo = new Thread(() -> echo(socket), "tcp-echo-connection");
                echo.setDaemon(true);
                echo.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void echo(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            out.write(greeting);
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                echoed.addAndGet(read);
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            // the client reset or the server closed: the connection ends
        }
    }

    /** A free loopback port, for a TCP route's srcPort (a route cannot ask for port 0). */
    public static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
