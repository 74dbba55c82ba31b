package io.swarmgate.proxy;

import static io.swarmgate.testing.RawHttp2Connection.CONTINUATION;
import static io.swarmgate.testing.RawHttp2Connection.END_HEADERS;
import static io.swarmgate.testing.RawHttp2Connection.END_STREAM;
import static io.swarmgate.testing.RawHttp2Connection.HEADERS;
import static io.swarmgate.testing.RawHttp2Connection.PING;
import static io.swarmgate.testing.RawHttp2Connection.RST_STREAM;
import static io.swarmgate.testing.RawHttp2Connection.SETTINGS;
import static io.swarmgate.testing.RawHttp2Connection.frame;
import static io.swarmgate.testing.RawHttp2Connection.literalGet;
import static io.swarmgate.testing.RawHttp2Connection.setting;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.ssl.SslProvider;
import io.swarmgate.proxy.internal.http2.Http2Connections;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.proxy.tls.TlsPolicy;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.proxy.upstream.BackendProtocol;
import io.swarmgate.testing.RawHttp2Connection;
import io.swarmgate.testing.RawHttp2Connection.Frame;
import io.swarmgate.testing.TestBackend;
import io.swarmgate.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/2 attacks that cost servers their CPU or memory, each from one connection: the proxy ends the connection
 * with ENHANCE_YOUR_CALM (or bounds what it costs), opens few backend connections for it, and serves a normal client
 * on another connection meanwhile. bench/load/h2-abuse.sh measures the CPU, heap and other clients' p99 of the same.
 */
class Http2AbuseTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final TestBackend backend = TestBackend.start("b");
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        start(Timeouts.DEFAULTS);
    }

    private void start(Timeouts timeouts) throws Exception {
        if (proxy != null) {
            proxy.stop();
        }
        CertificateStore certificates = CertificateStore.of(List.of(ServerCertificate.parse("site",
                TestCertificates.pem("localhost"))), SslProvider.OPENSSL, List.of(), TlsPolicy.DEFAULT);
        proxy = ProxyServer.builder().https(0).bindAddress("127.0.0.1").certificates(certificates).timeouts(timeouts)
                .routes(RouteTable.of(List.of(Route.builder("b").path("/").backend("127.0.0.1", backend.port())
                        .build())))
                .build().start();
    }

    @AfterEach
    void stop() {
        proxy.stop();
        backend.close();
    }

    private int port() {
        return proxy.httpsPorts().get(0);
    }

    /** CVE-2023-44487: HEADERS and RST_STREAM, over and over. */
    @Test
    void rapidResetIsCutOffWithEnhanceYourCalm() throws Exception {
        byte[] headers = literalGet("/rapid");
        byte[] cancel = ByteBuffer.allocate(4).putInt((int) Http2Error.CANCEL.code()).array();
        long started = System.nanoTime();
        int written = 0;
        try (RawHttp2Connection h2 = RawHttp2Connection.tls(port()).handshake()) {
            try {
                while (written < 100_000) {
                    int first = written;
                    h2.writeRaw(batch(1000, (out, i) -> {
                        int stream = 1 + 2 * (first + i);
                        out.writeBytes(frame(HEADERS, END_HEADERS | END_STREAM, stream, headers));
                        out.writeBytes(frame(RST_STREAM, 0, stream, cancel));
                    }));
                    written += 1000;
                }
            } catch (IOException closed) {
                // the server ended the connection
            }
            assertThat(h2.awaitGoAway(WAIT)).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
            assertThat(h2.awaitClose(WAIT)).isTrue();
        }
        // A stream's exchange starts once the read that opened it is decoded: reset in the same read, it is never
        // routed. Only a pair that a read happened to split between its HEADERS and its RST_STREAM reaches a backend.
        assertThat(backend.connectionsOpened()).isLessThanOrEqualTo(5);
        assertThat(backend.requests()).isLessThanOrEqualTo(5);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertServesOthers();
    }

    /**
     * The exchange waits for the end of the read, never for more bytes: a HEADERS frame whose second half comes in a
     * read of its own is answered with nothing else sent after it.
     */
    @Test
    void aHeadersFrameSplitAcrossReadsIsAnsweredWithoutMoreBytes() throws Exception {
        byte[] headers = frame(HEADERS, END_HEADERS | END_STREAM, 1, literalGet("/split"));
        try (RawHttp2Connection h2 = RawHttp2Connection.tls(port()).handshake()) {
            h2.writeRaw(Arrays.copyOfRange(headers, 0, 12));
            Thread.sleep(200); // no condition to await: the server's read of the first half is not observable
            h2.writeRaw(Arrays.copyOfRange(headers, 12, headers.length));
            assertThat(h2.answer(1, WAIT).status()).isEqualTo("200");
        }
        assertThat(backend.requests()).isEqualTo(1);
    }

    /**
     * A stream reset in a later read than its HEADERS, once its request reached the backend: the exchange ends and its
     * backend connection, in an unknown state mid-exchange, is closed rather than left open or pooled.
     */
    @Test
    void aStreamResetInALaterReadClosesItsBackendConnection() throws Exception {
        backend.hang();
        byte[] cancel = ByteBuffer.allocate(4).putInt((int) Http2Error.CANCEL.code()).array();
        try (RawHttp2Connection h2 = RawHttp2Connection.tls(port()).handshake()) {
            h2.write(HEADERS, END_HEADERS | END_STREAM, 1, literalGet("/reset-later"));
            Awaitility.await().atMost(WAIT).until(() -> backend.requests() == 1);
            assertThat(backend.openConnections()).isEqualTo(1);
            h2.write(RST_STREAM, 0, 1, cancel);
            Awaitility.await().atMost(WAIT).until(() -> backend.openConnections() == 0);
        }
        assertThat(backend.connectionsOpened()).isEqualTo(1);
    }

    /**
     * A stream reset while its backend connection is still being set up (here a TLS backend that accepts and never
     * answers the handshake): the connection is not handed to anyone or left open, it is closed when its setup ends.
     */
    @Test
    void aStreamResetWhileItsBackendConnectionIsSetUpLeavesThatConnectionClosed() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger closed = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                try (Socket connection = silent.accept()) {
                    accepted.incrementAndGet();
                    connection.getInputStream().transferTo(OutputStream.nullOutputStream());
                    closed.incrementAndGet();
                } catch (IOException e) {
                    // the test ended
                }
            });
            acceptor.start();
            proxy.stop();
            proxy = ProxyServer.builder().https(0).bindAddress("127.0.0.1")
                    .certificates(CertificateStore.of(List.of(ServerCertificate.parse("site",
                            TestCertificates.pem("localhost"))), SslProvider.OPENSSL, List.of(), TlsPolicy.DEFAULT))
                    .timeouts(Timeouts.DEFAULTS.withConnect(Duration.ofSeconds(2)))
                    .routes(RouteTable.of(List.of(Route.builder("silent").path("/").backend(
                            Backend.of("127.0.0.1", silent.getLocalPort()).protocol(BackendProtocol.HTTPS_UNVERIFIED))
                            .build())))
                    .build().start();
            byte[] cancel = ByteBuffer.allocate(4).putInt((int) Http2Error.CANCEL.code()).array();
            try (RawHttp2Connection h2 = RawHttp2Connection.tls(port()).handshake()) {
                h2.write(HEADERS, END_HEADERS | END_STREAM, 1, literalGet("/reset-while-connecting"));
                Awaitility.await().atMost(WAIT).until(() -> accepted.get() == 1);
                h2.write(RST_STREAM, 0, 1, cancel);
                Awaitility.await().atMost(WAIT).until(() -> closed.get() == 1);
            }
            acceptor.join(WAIT.toMillis());
        }
    }

    /** CVE-2024-27316: a header block that never ends, in small CONTINUATION frames. */
    @Test
    void aContinuationFloodIsCutOffWithEnhanceYourCalm() throws Exception {
        byte[] batch = batch(1000, (out, i) -> out.writeBytes(frame(CONTINUATION, 0, 1, new byte[] {0, 1, 'x'})));
        try (RawHttp2Connection h2 = RawHttp2Connection.tls(port()).handshake()) {
            h2.write(HEADERS, END_STREAM, 1, literalGet("/continued"));
            flood(h2, 100, batch);
            assertThat(h2.awaitGoAway(WAIT)).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
            assertThat(h2.awaitClose(WAIT)).isTrue();
        }
        assertThat(backend.connectionsOpened()).isZero();
        assertServesOthers();
    }

    /** The same with CONTINUATION frames of 16 KiB, which no small-frame count sees: the header list size bounds it. */
    @Test
    void aFloodOfLargeContinuationFramesEndsAtTheHeaderListLimit() throws Exception {
        byte[] batch = batch(10, (out, i) -> out.writeBytes(frame(CONTINUATION, 0, 1, new byte[16384])));
        try (RawHttp2Connection h2 = RawHttp2Connection.tls(port()).handshake()) {
            h2.write(HEADERS, END_STREAM, 1, literalGet("/continued"));
            flood(h2, 1000, batch);
            assertThat(h2.awaitGoAway(WAIT)).isIn(Http2Error.PROTOCOL_ERROR.code(),
                    Http2Error.ENHANCE_YOUR_CALM.code());
            assertThat(h2.awaitClose(WAIT)).isTrue();
        }
        assertThat(backend.connectionsOpened()).isZero();
    }

    /** SETTINGS, each owed an ACK, from a client that reads none of them: the ACKs queue until Netty's limit. */
    @Test
    void aSettingsFloodFromAClientThatDoesNotReadIsCutOffWithEnhanceYourCalm() throws Exception {
        assertControlFloodCutOff(frame(SETTINGS, 0, 0, setting(3, 100)));
    }

    /** PINGs, each owed an ACK, from a client that reads none of them. */
    @Test
    void aPingFloodFromAClientThatDoesNotReadIsCutOffWithEnhanceYourCalm() throws Exception {
        assertControlFloodCutOff(frame(PING, 0, 0, new byte[8]));
    }

    /**
     * PINGs from a client that reads every acknowledgement, so none piles up: the connection's budget of control
     * frames ends it long before it could cost the event loop millions of them.
     */
    @Test
    void aPingFloodFromAClientThatReadsIsCutOffAtTheControlFrameBudget() throws Exception {
        byte[] batch = batch(100, (out, i) -> out.writeBytes(frame(PING, 0, 0, new byte[8])));
        try (RawHttp2Connection h2 = RawHttp2Connection.tls(port()).handshake()) {
            flood(h2, Http2Connections.MAX_CONTROL_FRAMES_PER_WINDOW, batch);
            assertThat(h2.awaitGoAway(WAIT)).isEqualTo(Http2Error.ENHANCE_YOUR_CALM.code());
            assertThat(h2.awaitClose(WAIT)).isTrue();
        }
        assertServesOthers();
    }

    private void assertControlFloodCutOff(byte[] control) throws Exception {
        byte[] batch = batch(10_000, (out, i) -> out.writeBytes(control));
        try (RawHttp2Connection h2 = RawHttp2Connection.tls(port(), 4096)) {
            h2.writeRaw(prefaceAndSettings());
            // How much of the flood the client gets written before the close depends on the kernel's socket buffers
            // (the proxy's receive buffer alone may grow to hold all of it), not on the proxy: what matters is that
            // the proxy, whose unwritten acknowledgements would otherwise pile up, ends the connection.
            flood(h2, 200, batch);
            h2.startReading();
            // Netty closes at once, its GOAWAY queued behind the acknowledgements the client never read
            assertThat(h2.awaitGoAway(Duration.ofSeconds(30))).isIn(-1L, Http2Error.ENHANCE_YOUR_CALM.code());
            assertThat(h2.awaitClose(WAIT)).isTrue();
        }
        assertServesOthers();
    }

    /**
     * A client that opens many streams for large answers and never opens its window: each stream holds a backend
     * exchange, so the concurrent-stream limit bounds the backend connections, and the client timeout frees them.
     */
    @Test
    void aZeroWindowClientHoldsAtMostItsConcurrentStreamsOfBackendConnectionsAndOnlyUntilTheClientTimeout()
            throws Exception {
        start(Timeouts.DEFAULTS.withClient(Duration.ofSeconds(2)));
        try (RawHttp2Connection h2 = RawHttp2Connection.tls(port())
                .handshake(setting(4, 0))) {
            for (int i = 0; i < 200; i++) {
                h2.write(HEADERS, END_HEADERS | END_STREAM, 1 + 2 * i, literalGet("/download/1048576"));
            }
            Map<Long, Long> resets = resetsUntilQuiet(h2);
            assertThat(resets.get(Http2Error.REFUSED_STREAM.code())).isEqualTo(200 - 128);
            assertThat(backend.connectionsOpened()).isLessThanOrEqualTo(128);
            // The client timeout resets the stalled streams and closes their backend connections.
            assertThat(resets.get(Http2Error.CANCEL.code())).isEqualTo(128);
        }
        assertServesOthers();
    }

    /** The RST_STREAM frames received until none has come for 5 s (or the connection closed), by error code. */
    private static Map<Long, Long> resetsUntilQuiet(RawHttp2Connection h2) {
        Map<Long, Long> resets = new TreeMap<>();
        Frame frame;
        while ((frame = h2.next(Duration.ofSeconds(5))) != null && frame != RawHttp2Connection.CLOSED) {
            if (frame.type() == RST_STREAM) {
                resets.merge(frame.errorCode(), 1L, Long::sum);
            }
        }
        return resets;
    }

    private void assertServesOthers() throws Exception {
        try (RawHttp2Connection other = RawHttp2Connection.tls(port()).handshake()) {
            other.headers(1, new DefaultHttp2Headers(false).method("GET").scheme("https").authority("localhost")
                    .path("/other"), true);
            assertThat(other.answer(1, WAIT).status()).isEqualTo("200");
        }
    }

    /** Writes {@code batch} {@code times}, or until the server ends the connection. */
    private static void flood(RawHttp2Connection h2, int times, byte[] batch) {
        try {
            for (int i = 0; i < times; i++) {
                h2.writeRaw(batch);
            }
        } catch (IOException closed) {
            // the server ended the connection
        }
    }

    @FunctionalInterface
    private interface FrameWriter {
        void write(ByteArrayOutputStream out, int index);
    }

    private static byte[] batch(int count, FrameWriter writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            writer.write(out, i);
        }
        return out.toByteArray();
    }

    private static byte[] prefaceAndSettings() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(frame(SETTINGS, 0, 0, new byte[0]));
        return out.toByteArray();
    }
}
