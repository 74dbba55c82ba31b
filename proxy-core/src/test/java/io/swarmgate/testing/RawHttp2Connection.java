package io.swarmgate.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * An HTTP/2 client that writes whatever frames a test asks for, well-formed or not, over TLS (ALPN h2) or h2c, and
 * hands back every frame the server sends as it came: what an attacker or a conformance checker sees. Frames are read
 * on a thread of their own, so a server that answers while the test is still writing is seen in full.
 */
public final class RawHttp2Connection implements AutoCloseable {
    public static final int DATA = 0;
    public static final int HEADERS = 1;
    public static final int PRIORITY = 2;
    public static final int RST_STREAM = 3;
    public static final int SETTINGS = 4;
    public static final int PING = 6;
    public static final int GOAWAY = 7;
    public static final int WINDOW_UPDATE = 8;
    public static final int CONTINUATION = 9;
    public static final int END_STREAM = 0x1;
    public static final int ACK = 0x1;
    public static final int END_HEADERS = 0x4;
    public static final int PADDED = 0x8;
    /** What {@link #next} returns once the server has closed the connection. */
    public static final Frame CLOSED = new Frame(-1, 0, 0, new byte[0]);

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

    /** A frame as it came: its type, flags, stream and payload. */
    public record Frame(int type, int flags, int streamId, byte[] payload) {
        public boolean has(int flag) {
            return (flags & flag) != 0;
        }

        /** The error code of a RST_STREAM or GOAWAY. */
        public long errorCode() {
            ByteBuffer bytes = ByteBuffer.wrap(payload);
            return Integer.toUnsignedLong(bytes.getInt(type == GOAWAY ? 4 : 0));
        }

        @Override
        public String toString() {
            return type == -1 ? "closed" : "frame type " + type + " flags " + flags + " stream " + streamId
                    + (type == GOAWAY || type == RST_STREAM ? " error " + errorCode() : "");
        }
    }

    private final Thread reader = new Thread(this::read, "raw-h2-reader");

    private RawHttp2Connection(Socket socket, boolean reading) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        reader.setDaemon(true);
        if (reading) {
            reader.start();
        }
    }

    /** A connection to a plain listener with h2c; nothing is sent yet. */
    public static RawHttp2Connection h2c(int port) throws IOException {
        return new RawHttp2Connection(connect(port, 0), true);
    }

    /** A TLS connection that negotiated h2 by ALPN; nothing is sent yet. */
    public static RawHttp2Connection tls(int port) throws Exception {
        RawHttp2Connection connection = tls(port, 0);
        connection.startReading();
        return connection;
    }

    /**
     * As {@link #tls(int)}, with this socket receive buffer (0: the system's), but reading nothing until
     * {@link #startReading()}: a client that does not read soon stops the server's writes.
     */
    public static RawHttp2Connection tls(int port, int receiveBuffer) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingManager()}, new SecureRandom());
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(connect(port, receiveBuffer),
                "localhost", port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        if (!"h2".equals(socket.getApplicationProtocol())) {
            throw new IOException("the server did not choose h2: " + socket.getApplicationProtocol());
        }
        return new RawHttp2Connection(socket, false);
    }

    /** Starts reading the server's frames (see {@link #tls(int, int)}). */
    public void startReading() {
        reader.start();
    }

    private static Socket connect(int port, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Sends the preface and empty SETTINGS, and waits until both sides' SETTINGS are acknowledged. */
    public RawHttp2Connection handshake() throws IOException {
        return handshake(new byte[0]);
    }

    /** As {@link #handshake()}, with these settings (see {@link #setting}). */
    public RawHttp2Connection handshake(byte[] settings) throws IOException {
        writeRaw(ByteBufUtil.getBytes(Http2CodecUtil.connectionPrefaceBuf()));
        write(SETTINGS, 0, 0, settings);
        Frame serverSettings = await(f -> f.type == SETTINGS && !f.has(ACK), Duration.ofSeconds(5));
        if (serverSettings == null) {
            throw new IOException("no SETTINGS from the server");
        }
        write(SETTINGS, ACK, 0, new byte[0]);
        if (await(f -> f.type == SETTINGS && f.has(ACK), Duration.ofSeconds(5)) == null) {
            throw new IOException("the server did not acknowledge our SETTINGS");
        }
        return this;
    }

    /** One setting's six bytes, to concatenate into a SETTINGS payload. */
    public static byte[] setting(int id, long value) {
        return ByteBuffer.allocate(6).putShort((short) id).putInt((int) value).array();
    }

    public void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void write(int type, int flags, int streamId, byte[] payload) throws IOException {
        writeRaw(frame(type, flags, streamId, payload));
    }

    /** A frame's bytes, for tests that write many at once. */
    public static byte[] frame(int type, int flags, int streamId, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(9 + payload.length);
        frame.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        frame.put((byte) type).put((byte) flags).putInt(streamId).put(payload);
        return frame.array();
    }

    /** A literal field without indexing, with a new name (RFC 7541 §6.2.2); both shorter than 127 bytes. */
    public static byte[] literal(String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(3 + n.length + v.length).put((byte) 0).put((byte) n.length).put(n)
                .put((byte) v.length).put(v).array();
    }

    /** A GET's header block in literals without indexing: the same bytes every time, whatever HPACK's tables hold. */
    public static byte[] literalGet(String path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(literal(":method", "GET"));
        out.writeBytes(literal(":scheme", "https"));
        out.writeBytes(literal(":path", path));
        out.writeBytes(literal(":authority", "localhost"));
        return out.toByteArray();
    }

    /** A header block, HPACK-encoded with this connection's dynamic table. */
    public byte[] block(Http2Headers headers) {
        ByteBuf buf = Unpooled.buffer();
        try {
            encoder.encodeHeaders(0, headers, buf);
            return ByteBufUtil.getBytes(buf);
        } catch (Http2Exception e) {
            throw new IllegalArgumentException(e);
        } finally {
            buf.release();
        }
    }

    /** A complete HEADERS frame. */
    public void headers(int streamId, Http2Headers headers, boolean endStream) throws IOException {
        write(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, block(headers));
    }

    public void data(int streamId, String text, boolean endStream) throws IOException {
        write(DATA, endStream ? END_STREAM : 0, streamId, text.getBytes(StandardCharsets.UTF_8));
    }

    public void rstStream(int streamId, int errorCode) throws IOException {
        write(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt(errorCode).array());
    }

    public void windowUpdate(int streamId, int increment) throws IOException {
        write(WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment).array());
    }

    /** The next frame within the timeout, {@link #CLOSED} once the server closed, or null on timeout. */
    public Frame next(Duration timeout) {
        try {
            Frame frame = frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (frame == CLOSED) {
                frames.add(CLOSED); // stays closed for later calls
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Skips frames until one matches (or the connection closed: {@link #CLOSED}); null on timeout. */
    public Frame await(Predicate<Frame> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame frame = next(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (frame == null || frame == CLOSED || wanted.test(frame)) {
                return frame;
            }
        }
    }

    /** The GOAWAY's error code, or -1 if the server closed without one; fails if it does neither in time. */
    public long awaitGoAway(Duration timeout) {
        Frame frame = await(f -> f.type == GOAWAY, timeout);
        if (frame == null) {
            throw new AssertionError("neither GOAWAY nor close within " + timeout);
        }
        return frame == CLOSED ? -1 : frame.errorCode();
    }

    /** Whether the server closed the connection within the timeout (frames before that are skipped). */
    public boolean awaitClose(Duration timeout) {
        return await(f -> false, timeout) == CLOSED;
    }

    /** What ended a stream: its answer's header lists and body, or the reset's error code. */
    public record Answer(List<Http2Headers> headers, String body, long resetCode) {
        public String status() {
            return headers.isEmpty() ? null : String.valueOf(headers.get(0).status());
        }
    }

    /**
     * Reads the stream's frames until it ends (END_STREAM or RST_STREAM), giving back flow-control credit for its
     * DATA; fails if the connection closes or nothing ends the stream in time.
     */
    public Answer answer(int streamId, Duration timeout) throws IOException {
        List<Http2Headers> headers = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Frame frame = await(f -> f.streamId == streamId || f.type == GOAWAY,
                    Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (frame == null || frame == CLOSED || frame.type == GOAWAY) {
                throw new AssertionError("stream " + streamId + " did not end, got " + frame);
            }
            if (frame.type == RST_STREAM) {
                return new Answer(headers, body.toString(), frame.errorCode());
            }
            if (frame.type == HEADERS) {
                headers.add(decode(frame));
            } else if (frame.type == DATA) {
                body.append(new String(frame.payload, StandardCharsets.UTF_8));
                if (frame.payload.length > 0) {
                    windowUpdate(0, frame.payload.length);
                    windowUpdate(streamId, frame.payload.length);
                }
            }
            if ((frame.type == HEADERS || frame.type == DATA) && frame.has(END_STREAM)) {
                return new Answer(headers, body.toString(), -1);
            }
        }
    }

    /** A HEADERS frame's list (the server sends neither padding, priority nor CONTINUATION). */
    private Http2Headers decode(Frame frame) {
        ByteBuf block = Unpooled.wrappedBuffer(frame.payload);
        try {
            return decoder.decodeHeaders(frame.streamId, block);
        } catch (Http2Exception e) {
            throw new AssertionError("the server's header block does not decode", e);
        } finally {
            block.release();
        }
    }

    private void read() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[9];
            while (true) {
                in.readFully(header);
                ByteBuffer fields = ByteBuffer.wrap(header);
                int length = (fields.get() & 0xff) << 16 | (fields.get() & 0xff) << 8 | fields.get() & 0xff;
                int type = fields.get() & 0xff;
                int flags = fields.get() & 0xff;
                int streamId = fields.getInt() & Integer.MAX_VALUE;
                byte[] payload = new byte[length];
                in.readFully(payload);
                frames.add(new Frame(type, flags, streamId, payload));
            }
        } catch (IOException e) {
            // the end of the stream, or a reset: either way the connection is closed
        }
        frames.add(CLOSED);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
