package io.swarmgate.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection with blocking I/O, for GET requests whose status is all that matters. The load
 * clients share a machine with what they measure: {@code java.net.http} took 12 % of a CPU for 100 requests a second,
 * which wrk, on the same CPU, then missed; this costs a few microseconds a request and allocates little. A connection
 * that fails or that the server closes is opened again for the next request.
 */
final class KeepAliveConnection implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;

    private final InetSocketAddress address;
    private final byte[] requestStart;
    private final byte[] requestEnd;
    private final byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** @param base {@code http://127.0.0.1:port}: the requests' targets are relative to it */
    KeepAliveConnection(String base) {
        URI uri = URI.create(base);
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        this.requestStart = "GET ".getBytes(StandardCharsets.US_ASCII);
        this.requestEnd = (" HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends the request and returns its status, or -1 when the connection failed. */
    int get(String target) {
        return send(target) ? readStatus() : -1;
    }

    /** Sends a request without waiting for its answer; false when the connection failed. */
    boolean send(String target) {
        try {
            if (socket == null) {
                open();
            }
            out.write(requestStart);
            out.write(target.getBytes(StandardCharsets.US_ASCII));
            out.write(requestEnd);
            out.flush();
            return true;
        } catch (IOException e) {
            close();
            return false;
        }
    }

    /** Whether the answer to the request sent has started to arrive: {@link #readStatus()} will not wait long. */
    boolean answerArriving() {
        try {
            return start < end || socket != null && in.available() > 0;
        } catch (IOException e) {
            return true; // readStatus reports the failure
        }
    }

    /** Reads the answer to the request sent, head and body; its status, or -1 when the connection failed. */
    int readStatus() {
        try {
            int headEnd = readUntilHeadEnd();
            String head = new String(buffer, start, headEnd - start, StandardCharsets.ISO_8859_1);
            start = headEnd;
            int status = Integer.parseInt(head.substring(9, 12));
            String lower = head.toLowerCase(Locale.ROOT);
            if (lower.contains("\r\ntransfer-encoding: chunked")) {
                skipChunkedBody();
            } else {
                skip(contentLength(lower));
            }
            if (lower.contains("\r\nconnection: close")) {
                close();
            }
            return status;
        } catch (IOException | RuntimeException e) {
            close();
            return -1;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection that is done with either way
            }
        }
        socket = null;
        start = 0;
        end = 0;
    }

    private void open() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.connect(address, TIMEOUT_MILLIS);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** The index just past the blank line that ends the head at {@code start}. */
    private int readUntilHeadEnd() throws IOException {
        int scanned = 0; // from start, which fill() may move
        while (true) {
            for (; start + scanned + 3 < end; scanned++) {
                int i = start + scanned;
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    return i + 4;
                }
            }
            fill();
        }
    }

    private static long contentLength(String lowerCaseHead) {
        int at = lowerCaseHead.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return 0;
        }
        int from = at + "\r\ncontent-length:".length();
        int to = lowerCaseHead.indexOf('\r', from);
        return Long.parseLong(lowerCaseHead.substring(from, to < 0 ? lowerCaseHead.length() : to).trim());
    }

    private void skipChunkedBody() throws IOException {
        while (true) {
            String sizeLine = readLine();
            int extension = sizeLine.indexOf(';');
            long size = Long.parseLong((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailer fields
                }
                return;
            }
            skip(size);
            readLine();
        }
    }

    private String readLine() throws IOException {
        while (true) {
            for (int i = start; i + 1 < end; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                    String line = new String(buffer, start, i - start, StandardCharsets.ISO_8859_1);
                    start = i + 2;
                    return line;
                }
            }
            fill();
        }
    }

    private void skip(long count) throws IOException {
        long left = count;
        while (left > 0) {
            if (start == end) {
                fill();
            }
            int taken = (int) Math.min(left, end - start);
            start += taken;
            left -= taken;
        }
    }

    /** Reads more bytes, first moving what is unread to the buffer's start. */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            throw new IOException("an answer's head is larger than " + buffer.length + " bytes");
        }
        int read = in.read(buffer, end, buffer.length - end);
        if (read < 0) {
            throw new IOException("the server closed the connection");
        }
        end += read;
    }
}
