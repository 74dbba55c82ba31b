package io.swarmgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain-socket HTTP/1.1 client for tests: sends exactly the bytes given (malformed ones included) and parses the
 * answer, so tests see what a client on the wire sees. One connection, reusable for keep-alive.
 */
public final class RawHttpConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttpConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawHttpConnection open(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        return new RawHttpConnection(socket);
    }

    /** Speaks over a socket the test connected, from a source address of its choice. */
    public static RawHttpConnection over(Socket connected) throws IOException {
        return new RawHttpConnection(connected);
    }

    /** Opens a connection, sends a GET for the path with the given Host, and returns the answer. */
    public static Response get(int port, String host, String path) throws IOException {
        try (RawHttpConnection connection = open(port)) {
            return connection.exchange("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
        }
    }

    public Response exchange(String rawRequest) throws IOException {
        send(rawRequest);
        return readResponse();
    }

    public void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Reads exactly {@code count} bytes: what a tunnel sends back after a 101. */
    public byte[] readBytes(int count) throws IOException {
        return in.readNBytes(count);
    }

    public OutputStream output() {
        return out;
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** True when the peer closed the connection (reads end of stream) within the read timeout. */
    public boolean isClosedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    /** Reads an answer to a HEAD request: a head without a body, whatever its length headers say. */
    public Response readHeadResponse() throws IOException {
        return readResponse(true);
    }

    public Response readResponse() throws IOException {
        return readResponse(false);
    }

    private Response readResponse(boolean headRequest) throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        List<String[]> headers = new ArrayList<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            headers.add(new String[] {line.substring(0, colon).trim(), line.substring(colon + 1).trim()});
        }
        Response head = new Response(statusLine, status, headers, new byte[0]);
        if (status / 100 == 1 || headRequest) {
            return head;
        }
        byte[] body;
        String length = head.header("content-length");
        if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
            body = readChunked();
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if (status == 204 || status == 304) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
        }
        return new Response(statusLine, status, headers, body);
    }

    /** The trailer fields of the last chunked answer read, as {@code name: value} lines. */
    private final List<String> trailers = new ArrayList<>();

    public List<String> lastTrailers() {
        return List.copyOf(trailers);
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        trailers.clear();
        while (true) {
            int size = Integer.parseInt(readLine().split(";")[0].trim(), 16);
            if (size == 0) {
                String trailer;
                while (!(trailer = readLine()).isEmpty()) {
                    trailers.add(trailer);
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            readLine();
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A parsed answer. */
    public record Response(String statusLine, int status, List<String[]> headers, byte[] body) {
        public String header(String name) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    return header[1];
                }
            }
            return null;
        }

        public List<String> headerValues(String name) {
            List<String> values = new ArrayList<>();
            for (String[] header : headers) {
                if (header[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    values.add(header[1]);
                }
            }
            return values;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }
}
