package io.swarmgate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Holds many idle keep-alive connections open to a proxy on 127.0.0.1, for bench/load/idle.sh to measure the proxy's
 * memory while they are held.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.swarmgate.bench.IdleConnections --port 24083 [--option value ...]
 *
 *   --port 24083            the proxy's data port on 127.0.0.1 (the only host this tool connects to)
 *   --connections 10000     connections to open (at most 100,000)
 *   --path /demo/small      the request sent on each connection
 *   --concurrency 4         threads opening connections (each does one exchange at a time, so the proxy needs at
 *                           most this many backend connections)
 *   --open-seconds 60       time allowed for opening every connection and completing its exchange
 *   --hold-seconds 120      the longest time the connections are held (at most 3,600)
 * </pre>
 *
 * <p>It opens the connections, sends one {@code GET PATH HTTP/1.1} keep-alive request on each and reads the whole
 * response, so that every connection has completed one exchange and sits idle in keep-alive on the proxy. Then it
 * prints {@code READY opened=N failed=F ...} and holds them until its standard input closes or the hold time ends.
 * Last, it checks that the proxy kept every connection: it sends a second request on each and reads the answer
 * (a connection the proxy closed while idle shows as {@code closed_while_idle}), then closes them all. The final line,
 * {@code RESULT command=idle key=value ...}, is what idle.sh reads.
 */
public final class IdleConnections {
    private static final int MAX_CONNECTIONS = 100_000;
    private static final int MAX_HOLD_SECONDS = 3_600;
    private static final int IO_TIMEOUT_MILLIS = 5_000;
    private static final int MAX_HEADER_BYTES = 16_384;

    private final InetSocketAddress address;
    private final byte[] request;
    private final Socket[] sockets;
    private final List<String> firstErrors = new ArrayList<>();

    private IdleConnections(int port, String path, int connections) {
        this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (!"127.0.0.1".equals(address.getAddress().getHostAddress())) {
            throw new IllegalStateException("the loopback address is " + address.getAddress() + ", expected 127.0.0.1");
        }
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: swarmgate-bench-idle\r\n"
                + "Accept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        this.sockets = new Socket[connections];
    }

    public static void main(String[] args) throws Exception {
        NamedOptions o = new NamedOptions(args, IdleConnections::usage);
        int port = o.getInt("port", 0, 65_535);
        if (port == 0) {
            usage("--port is required");
        }
        int connections = o.getInt("connections", 10_000, MAX_CONNECTIONS);
        int concurrency = o.getInt("concurrency", 4, 64);
        int openSeconds = o.getInt("open-seconds", 60, MAX_HOLD_SECONDS);
        int holdSeconds = o.getInt("hold-seconds", 120, MAX_HOLD_SECONDS);
        String path = o.get("path", "/demo/small");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            usage("--path: " + path + " (expected: an absolute path without spaces)");
        }
        new IdleConnections(port, path, connections).run(concurrency, openSeconds, holdSeconds);
    }

    private void run(int concurrency, int openSeconds, int holdSeconds) throws Exception {
        int n = sockets.length;

        // 1. Open every connection and complete one exchange on it.
        LongAdder failed = new LongAdder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(openSeconds);
        long start = System.nanoTime();
        runThreads(concurrency, t -> {
            byte[] buffer = new byte[MAX_HEADER_BYTES];
            for (int i = t; i < n; i += concurrency) {
                if (System.nanoTime() > deadline) {
                    failed.increment();
                    error("connection " + i + ": not opened within " + openSeconds + " s");
                    continue;
                }
                Socket socket = new Socket();
                try {
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(IO_TIMEOUT_MILLIS);
                    socket.connect(address, IO_TIMEOUT_MILLIS);
                    exchange(socket, buffer, false);
                    sockets[i] = socket;
                } catch (IOException | RuntimeException e) {
                    failed.increment();
                    error("connection " + i + ": " + describe(e));
                    closeQuietly(socket);
                }
            }
        });
        double openMillis = (System.nanoTime() - start) / 1e6;
        long opened = n - failed.sum();
        System.out.printf(Locale.ROOT, "opened %,d of %,d connections in %.0f ms, one exchange each (%d failed%s)%n",
                opened, n, openMillis, failed.sum(), firstErrors.isEmpty() ? "" : ", e.g. " + firstErrors);
        System.out.printf(Locale.ROOT, "READY opened=%d failed=%d open_ms=%.0f%n", opened, failed.sum(), openMillis);
        System.out.flush();

        // 2. Hold them until standard input closes (or a line "close" arrives) or the hold time ends.
        CountDownLatch release = new CountDownLatch(1);
        Thread stdin = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
                String line;
                while ((line = in.readLine()) != null && !line.trim().equals("close")) {
                    // Anything else is ignored.
                }
            } catch (IOException e) {
                // Treated as closed.
            }
            release.countDown();
        }, "stdin");
        stdin.setDaemon(true);
        stdin.start();
        long holdStart = System.nanoTime();
        boolean released = release.await(holdSeconds, TimeUnit.SECONDS);
        double heldSeconds = (System.nanoTime() - holdStart) / 1e9;

        // 3. Check that the proxy kept every connection usable: a second exchange on each, then close.
        synchronized (firstErrors) {
            firstErrors.clear();
        }
        LongAdder closedWhileIdle = new LongAdder();
        LongAdder secondFailed = new LongAdder();
        runThreads(concurrency, t -> {
            byte[] buffer = new byte[MAX_HEADER_BYTES];
            for (int i = t; i < n; i += concurrency) {
                Socket socket = sockets[i];
                if (socket == null) {
                    continue;
                }
                try {
                    exchange(socket, buffer, true);
                } catch (ClosedWhileIdle e) {
                    closedWhileIdle.increment();
                    error("connection " + i + ": " + e.getMessage());
                } catch (IOException | RuntimeException e) {
                    secondFailed.increment();
                    error("connection " + i + ", second request: " + describe(e));
                }
                closeQuietly(socket);
                sockets[i] = null;
            }
        });
        long kept = opened - closedWhileIdle.sum() - secondFailed.sum();
        System.out.printf(Locale.ROOT,
                "held %.1f s (%s); %,d of %,d connections still usable, %d closed by the server while idle,"
                        + " %d failed the second request%s; all closed%n",
                heldSeconds, released ? "released" : "hold time ended", kept, opened, closedWhileIdle.sum(),
                secondFailed.sum(), firstErrors.isEmpty() ? "" : ", e.g. " + firstErrors);
        System.out.printf(Locale.ROOT,
                "RESULT command=idle connections=%d opened=%d failed=%d open_ms=%.0f held_s=%.1f kept=%d"
                        + " closed_while_idle=%d second_failed=%d%n",
                n, opened, failed.sum(), openMillis, heldSeconds, kept, closedWhileIdle.sum(), secondFailed.sum());
    }

    /** A kept connection the server had closed before the second request: EOF before any byte of the answer. */
    private static final class ClosedWhileIdle extends IOException {
        ClosedWhileIdle(String message) {
            super(message);
        }
    }

    /**
     * Sends the request and reads the whole response: status 200, a body of Content-Length bytes (or chunked), and no
     * {@code Connection: close} — the connection must stay open in keep-alive.
     */
    private void exchange(Socket socket, byte[] buffer, boolean reused) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        try {
            out.write(request);
            out.flush();
        } catch (IOException e) {
            if (reused) {
                throw new ClosedWhileIdle("closed by the server while idle (" + describe(e) + " on write)");
            }
            throw e;
        }
        // Read up to the end of the headers.
        int filled = 0;
        int headerEnd = -1;
        while (headerEnd < 0) {
            if (filled == buffer.length) {
                throw new IOException("response headers larger than " + buffer.length + " bytes");
            }
            int r;
            try {
                r = in.read(buffer, filled, buffer.length - filled);
            } catch (IOException e) {
                if (reused && filled == 0 && !(e instanceof SocketTimeoutException)) {
                    throw new ClosedWhileIdle("closed by the server while idle (" + describe(e) + ")");
                }
                throw e;
            }
            if (r < 0) {
                if (reused && filled == 0) {
                    throw new ClosedWhileIdle("closed by the server while idle (end of stream)");
                }
                throw new IOException("connection closed after " + filled + " bytes of the response");
            }
            int from = Math.max(0, filled - 3);
            filled += r;
            for (int k = from; k + 3 < filled; k++) {
                if (buffer[k] == '\r' && buffer[k + 1] == '\n' && buffer[k + 2] == '\r' && buffer[k + 3] == '\n') {
                    headerEnd = k + 4;
                    break;
                }
            }
        }
        String head = new String(buffer, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        if (!lines[0].startsWith("HTTP/1.1 200 ")) {
            throw new IOException("status line " + lines[0]);
        }
        long contentLength = -1;
        boolean chunked = false;
        for (int k = 1; k < lines.length; k++) {
            String line = lines[k].toLowerCase(Locale.ROOT);
            if (line.startsWith("content-length:")) {
                contentLength = Long.parseLong(line.substring(15).trim());
            } else if (line.startsWith("transfer-encoding:") && line.contains("chunked")) {
                chunked = true;
            } else if (line.startsWith("connection:") && line.contains("close")) {
                throw new IOException("the server asked to close the connection (" + lines[k] + ")");
            }
        }
        if (chunked) {
            // Small bodies only: read until the last chunk's terminator.
            StringBuilder rest = new StringBuilder(new String(buffer, headerEnd, filled - headerEnd, StandardCharsets.ISO_8859_1));
            while (rest.indexOf("0\r\n\r\n") < 0) {
                int r = in.read(buffer, 0, buffer.length);
                if (r < 0) {
                    throw new IOException("connection closed inside a chunked body");
                }
                rest.append(new String(buffer, 0, r, StandardCharsets.ISO_8859_1));
                if (rest.length() > 1 << 20) {
                    throw new IOException("chunked body larger than 1 MiB");
                }
            }
            return;
        }
        if (contentLength < 0) {
            throw new IOException("response without Content-Length on a keep-alive connection");
        }
        long remaining = contentLength - (filled - headerEnd);
        while (remaining > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (r < 0) {
                throw new IOException("connection closed with " + remaining + " bytes of the body missing");
            }
            remaining -= r;
        }
        if (remaining < 0) {
            throw new IOException((-remaining) + " bytes more than Content-Length");
        }
    }

    private void error(String message) {
        synchronized (firstErrors) {
            if (firstErrors.size() < 3) {
                firstErrors.add(message);
            }
        }
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing anyway.
        }
    }

    private interface Slice {
        void run(int thread) throws Exception;
    }

    private static void runThreads(int count, Slice body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int t = i;
            Thread thread = new Thread(() -> {
                try {
                    body.run(t);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "idle-client-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: IdleConnections --port PORT [--connections 10000] [--path /demo/small]"
                + " [--concurrency 4] [--open-seconds 60] [--hold-seconds 120] (see the class comment or bench/README.md)");
        System.exit(2);
    }
}
