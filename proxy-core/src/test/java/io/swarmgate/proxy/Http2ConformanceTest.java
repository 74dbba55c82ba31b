package io.swarmgate.proxy;

import static io.netty.handler.codec.http2.Http2Error.COMPRESSION_ERROR;
import static io.netty.handler.codec.http2.Http2Error.FLOW_CONTROL_ERROR;
import static io.netty.handler.codec.http2.Http2Error.FRAME_SIZE_ERROR;
import static io.netty.handler.codec.http2.Http2Error.PROTOCOL_ERROR;
import static io.netty.handler.codec.http2.Http2Error.REFUSED_STREAM;
import static io.netty.handler.codec.http2.Http2Error.STREAM_CLOSED;
import static io.swarmgate.testing.RawHttp2Connection.CONTINUATION;
import static io.swarmgate.testing.RawHttp2Connection.DATA;
import static io.swarmgate.testing.RawHttp2Connection.END_HEADERS;
import static io.swarmgate.testing.RawHttp2Connection.END_STREAM;
import static io.swarmgate.testing.RawHttp2Connection.GOAWAY;
import static io.swarmgate.testing.RawHttp2Connection.HEADERS;
import static io.swarmgate.testing.RawHttp2Connection.PADDED;
import static io.swarmgate.testing.RawHttp2Connection.PING;
import static io.swarmgate.testing.RawHttp2Connection.PRIORITY;
import static io.swarmgate.testing.RawHttp2Connection.RST_STREAM;
import static io.swarmgate.testing.RawHttp2Connection.SETTINGS;
import static io.swarmgate.testing.RawHttp2Connection.WINDOW_UPDATE;
import static io.swarmgate.testing.RawHttp2Connection.literal;
import static io.swarmgate.testing.RawHttp2Connection.setting;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.ssl.SslProvider;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.proxy.tls.TlsPolicy;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttp2Connection;
import io.swarmgate.testing.RawHttp2Connection.Answer;
import io.swarmgate.testing.RawHttp2Connection.Frame;
import io.swarmgate.testing.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9113 and RFC 7541 from the wire: raw frames, well-formed or not, to a proxy on TLS (ALPN h2) and on an h2c
 * listener, each answered as the RFCs say: a connection error is a GOAWAY with the code the RFC names, a stream error
 * a RST_STREAM with it (or a GOAWAY with it: RFC 9113 §5.4.1 lets an endpoint end the connection instead), and a
 * malformed request never reaches the backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Http2ConformanceTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    @RegisterExtension
    final ProxyExtension proxy = ProxyExtension.builder().backend("b")
            .settings(builder -> builder.h2c(true).https(0).certificates(CertificateStore.of(List.of(
                    ServerCertificate.parse("site", TestCertificates.pem("localhost"))), SslProvider.OPENSSL, List.of(),
                    TlsPolicy.DEFAULT)))
            .routes(p -> List.of(p.route("b", "/"), p.route("b", "/guarded/admin")))
            .build();

    enum Transport { TLS, H2C }

    private RawHttp2Connection open(Transport transport) throws Exception {
        return transport == Transport.TLS ? RawHttp2Connection.tls(proxy.httpsPorts().get(0))
                : RawHttp2Connection.h2c(proxy.port());
    }

    private static Http2Headers get(String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("https").authority("localhost").path(path);
    }

    // The failures h2spec found, on both transports.

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aRequestWithoutSchemeIsResetAndNeverForwarded(Transport transport) throws Exception {
        String host = "no-scheme-" + transport + ".test";
        try (RawHttp2Connection h2 = open(transport).handshake()) {
            h2.headers(1, new DefaultHttp2Headers(false).method("GET").authority(host).path("/no-scheme"), true);
            assertThat(h2.answer(1, WAIT).resetCode()).isEqualTo(PROTOCOL_ERROR.code());

            h2.headers(3, get("/next"), true);
            assertThat(h2.answer(3, WAIT).status()).isEqualTo("200");
        }
        assertThat(proxy.backend().sawHost(host)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAuthorityThatIsNoHostGets400AndTheConnectionServesOn(Transport transport) throws Exception {
        try (RawHttp2Connection h2 = open(transport).handshake()) {
            h2.headers(1, new DefaultHttp2Headers(false).method("GET").scheme("https").authority("evil@[::1")
                    .path("/bad-authority"), true);
            assertThat(h2.answer(1, WAIT).status()).isEqualTo("400");

            h2.headers(3, get("/next"), true);
            assertThat(h2.answer(3, WAIT).status()).isEqualTo("200");
        }
        assertThat(proxy.backend().sawHost("evil@[::1")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPathWithAFragmentGets400AndTheConnectionServesOn(Transport transport) throws Exception {
        String host = "fragment-" + transport + ".test";
        try (RawHttp2Connection h2 = open(transport).handshake()) {
            h2.headers(1, new DefaultHttp2Headers(false).method("GET").scheme("https").authority(host)
                    .path("/index.html#.png"), true);
            assertThat(h2.answer(1, WAIT).status()).isEqualTo("400");

            h2.headers(3, get("/next"), true);
            assertThat(h2.answer(3, WAIT).status()).isEqualTo("200");
        }
        assertThat(proxy.backend().sawHost(host)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aPathAnotherRouteTakesOnceItsBackslashIsASlashGets400AndTheConnectionServesOn(Transport transport)
            throws Exception {
        String host = "backslash-" + transport + ".test";
        try (RawHttp2Connection h2 = open(transport).handshake()) {
            h2.headers(1, new DefaultHttp2Headers(false).method("GET").scheme("https").authority(host)
                    .path("/guarded\\admin"), true);
            assertThat(h2.answer(1, WAIT).status()).isEqualTo("400");

            h2.headers(3, get("/next"), true);
            assertThat(h2.answer(3, WAIT).status()).isEqualTo("200");
        }
        assertThat(proxy.backend().sawHost(host)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void requestsWithoutMethodOrPathOrWithAnEmptyPathAreResetWithProtocolError(Transport transport)
            throws Exception {
        String host = "malformed-" + transport + ".test";
        try (RawHttp2Connection h2 = open(transport).handshake()) {
            h2.headers(1, new DefaultHttp2Headers(false).scheme("https").authority(host).path("/"), true);
            h2.headers(3, new DefaultHttp2Headers(false).method("GET").scheme("https").authority(host), true);
            h2.headers(5, new DefaultHttp2Headers(false).method("GET").scheme("https").authority(host).path(""), true);
            for (int stream : new int[] {1, 3, 5}) {
                assertThat(h2.answer(stream, WAIT).resetCode()).as("stream %d", stream)
                        .isEqualTo(PROTOCOL_ERROR.code());
            }
            h2.headers(7, get("/after"), true);
            assertThat(h2.answer(7, WAIT).status()).isEqualTo("200");
        }
        assertThat(proxy.backend().sawHost(host)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aStreamIdentifierBelowAPreviousOneIsAConnectionError(Transport transport) throws Exception {
        try (RawHttp2Connection h2 = open(transport).handshake()) {
            h2.headers(5, get("/five"), true);
            h2.headers(3, get("/three"), true);
            assertThat(h2.awaitGoAway(WAIT)).isEqualTo(PROTOCOL_ERROR.code());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aSecondHeaderBlockOnAHalfClosedStreamIsStreamClosed(Transport transport) throws Exception {
        try (RawHttp2Connection h2 = open(transport).handshake()) {
            h2.headers(1, get("/delay/1000"), true);
            h2.headers(1, get("/delay/1000"), true);
            assertStreamError(h2, 1, STREAM_CLOSED);
        }
    }

    /**
     * HEADERS on a stream that ended both ways: RFC 9113 §5.1 makes frames after END_STREAM a connection error
     * STREAM_CLOSED; the proxy answers so, as h2spec wants, since a client that reuses a finished stream has lost
     * track of the connection. A stream the proxy reset is the exception: frames in flight then are ignored.
     */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void headersOnAClosedStreamIsAConnectionErrorStreamClosed(Transport transport) throws Exception {
        try (RawHttp2Connection h2 = open(transport).handshake()) {
            h2.headers(1, get("/first"), true);
            assertThat(h2.answer(1, WAIT).status()).isEqualTo("200");
            h2.headers(1, get("/again"), true);
            assertThat(h2.awaitGoAway(WAIT)).isEqualTo(STREAM_CLOSED.code());
        }
    }

    /** RFC 9113 §5.1: frames the client had in flight on a stream the proxy reset are no reason to end the connection. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void trailersInFlightOnAStreamTheProxyResetLeaveTheConnectionServing(Transport transport) throws Exception {
        try (RawHttp2Connection h2 = open(transport).handshake()) {
            h2.write(HEADERS, END_HEADERS, 1, concat(RawHttp2Connection.literalGet("/"), literal("X-Upper", "1")));
            assertThat(h2.answer(1, WAIT).resetCode()).isEqualTo(PROTOCOL_ERROR.code());
            h2.write(HEADERS, END_HEADERS | END_STREAM, 1, literal("x-trailer", "1"));
            h2.headers(3, get("/after"), true);
            assertThat(h2.answer(3, WAIT).status()).isEqualTo("200");
        }
    }

    /**
     * On a plain listener serving both protocols, bytes that are not exactly HTTP/2's preface are taken for HTTP/1.1
     * (RFC 9113 §3.3 leaves such a port to the server): a broken preface gets HTTP/1.1's 400, as from HAProxy.
     */
    @Test
    void aBrokenPrefaceOnTheH2cListenerIsAnsweredAsHttp11() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", proxy.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 400 ");
        }
    }

    @Test
    void aBrokenPrefaceAfterAlpnH2IsAConnectionError() throws Exception {
        try (RawHttp2Connection h2 = RawHttp2Connection.tls(proxy.httpsPorts().get(0))) {
            h2.writeRaw("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(h2.awaitGoAway(WAIT)).isIn(-1L, PROTOCOL_ERROR.code());
            assertThat(h2.awaitClose(WAIT)).isTrue();
        }
    }

    @Test
    void aFirstFrameOtherThanSettingsIsAConnectionError() throws Exception {
        try (RawHttp2Connection h2 = RawHttp2Connection.tls(proxy.httpsPorts().get(0))) {
            h2.writeRaw(io.netty.buffer.ByteBufUtil.getBytes(
                    io.netty.handler.codec.http2.Http2CodecUtil.connectionPrefaceBuf()));
            h2.write(PING, 0, 0, new byte[8]);
            assertThat(h2.awaitGoAway(WAIT)).isEqualTo(PROTOCOL_ERROR.code());
        }
    }

    // The rest of RFC 9113 and RFC 7541, one case each, over TLS.

    /** What a client does on a connection after the handshake. */
    @FunctionalInterface
    interface Scenario {
        void run(RawHttp2Connection h2) throws Exception;
    }

    /** What the server must answer. */
    @FunctionalInterface
    interface Expected {
        void check(RawHttp2Connection h2) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answeredAsTheRfcSays(String name, Scenario scenario, Expected expected) throws Exception {
        try (RawHttp2Connection h2 = open(Transport.TLS).handshake()) {
            try {
                scenario.run(h2);
            } catch (SocketException closedMeanwhile) {
                // the server ended the connection before the client had written all: its answer is read below
            }
            expected.check(h2);
        }
    }

    Stream<Arguments> cases() {
        byte[] request = RawHttp2Connection.literalGet("/");
        return Stream.of(
                // §3.4, §6.5: SETTINGS and their values
                connection("SETTINGS with ACK and a payload", h2 -> h2.write(SETTINGS, 1, 0, new byte[6]),
                        FRAME_SIZE_ERROR),
                connection("SETTINGS on a stream", h2 -> h2.write(SETTINGS, 0, 1, new byte[0]), PROTOCOL_ERROR),
                connection("SETTINGS of a length not a multiple of 6", h2 -> h2.write(SETTINGS, 0, 0, new byte[3]),
                        FRAME_SIZE_ERROR),
                connection("SETTINGS_ENABLE_PUSH 2", h2 -> h2.write(SETTINGS, 0, 0, setting(2, 2)), PROTOCOL_ERROR),
                connection("SETTINGS_INITIAL_WINDOW_SIZE 2^31", h2 -> h2.write(SETTINGS, 0, 0,
                        setting(4, 1L << 31)), FLOW_CONTROL_ERROR),
                connection("SETTINGS_MAX_FRAME_SIZE below 16384", h2 -> h2.write(SETTINGS, 0, 0,
                        setting(5, 16383)), PROTOCOL_ERROR),
                connection("SETTINGS_MAX_FRAME_SIZE above 2^24-1", h2 -> h2.write(SETTINGS, 0, 0,
                        setting(5, 1 << 24)), PROTOCOL_ERROR),
                Arguments.of("an unknown setting is ignored and acknowledged",
                        (Scenario) h2 -> h2.write(SETTINGS, 0, 0, setting(0xff, 1)),
                        (Expected) h2 -> assertThat(h2.await(f -> f.type() == SETTINGS, WAIT))
                                .matches(f -> f.has(RawHttp2Connection.ACK))),
                // §4.1, §4.2, §5.5: frames
                Arguments.of("an unknown frame type is ignored",
                        (Scenario) h2 -> {
                            h2.write(0x20, 0, 0, new byte[4]);
                            h2.write(PING, 0, 0, new byte[8]);
                        },
                        (Expected) h2 -> assertThat(h2.await(f -> f.type() == PING, WAIT))
                                .matches(f -> f.has(RawHttp2Connection.ACK))),
                connection("DATA above SETTINGS_MAX_FRAME_SIZE", h2 -> {
                    h2.headers(1, get("/"), false);
                    h2.write(DATA, END_STREAM, 1, new byte[16385]);
                }, FRAME_SIZE_ERROR),
                connection("HEADERS above SETTINGS_MAX_FRAME_SIZE", h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM,
                        1, concat(request, literal("x-big", "a".repeat(100)), new byte[16384])), FRAME_SIZE_ERROR),
                // §5.1: stream states
                connection("DATA on an idle stream", h2 -> h2.data(1, "x", true), PROTOCOL_ERROR),
                connection("RST_STREAM on an idle stream", h2 -> h2.rstStream(1, 8), PROTOCOL_ERROR),
                connection("WINDOW_UPDATE on an idle stream", h2 -> h2.windowUpdate(1, 100), PROTOCOL_ERROR),
                connection("CONTINUATION on an idle stream", h2 -> h2.write(CONTINUATION, END_HEADERS, 1, request),
                        PROTOCOL_ERROR),
                stream("DATA on a half-closed (remote) stream", 1, h2 -> {
                    h2.headers(1, get("/delay/1000"), true);
                    h2.data(1, "x", true);
                }, STREAM_CLOSED),
                connection("CONTINUATION on a half-closed (remote) stream", h2 -> {
                    h2.headers(1, get("/delay/1000"), true);
                    h2.write(CONTINUATION, END_HEADERS, 1, request);
                }, PROTOCOL_ERROR),
                stream("DATA after the client's RST_STREAM", 1, h2 -> {
                    h2.headers(1, get("/delay/1000"), false);
                    h2.rstStream(1, 8);
                    h2.data(1, "x", true);
                }, STREAM_CLOSED),
                stream("HEADERS after the client's RST_STREAM", 1, h2 -> {
                    h2.headers(1, get("/delay/1000"), false);
                    h2.rstStream(1, 8);
                    h2.headers(1, get("/"), true);
                }, STREAM_CLOSED),
                stream("DATA on a closed stream", 1, h2 -> {
                    h2.headers(1, get("/"), true);
                    assertThat(h2.answer(1, WAIT).status()).isEqualTo("200");
                    h2.data(1, "x", true);
                }, STREAM_CLOSED),
                connection("HEADERS on a closed stream", h2 -> {
                    h2.headers(1, get("/"), true);
                    assertThat(h2.answer(1, WAIT).status()).isEqualTo("200");
                    h2.headers(1, get("/"), true);
                }, STREAM_CLOSED),
                // §5.1.1, §5.1.2: stream identifiers and concurrency
                connection("an even stream identifier", h2 -> h2.headers(2, get("/"), true), PROTOCOL_ERROR),
                connection("a stream identifier below the last one", h2 -> {
                    h2.headers(5, get("/"), true);
                    h2.headers(3, get("/"), true);
                }, PROTOCOL_ERROR),
                Arguments.of("a stream beyond SETTINGS_MAX_CONCURRENT_STREAMS is refused",
                        (Scenario) h2 -> {
                            for (int i = 0; i <= 128; i++) {
                                h2.headers(1 + 2 * i, get("/delay/2000"), true);
                            }
                        },
                        (Expected) h2 -> assertThat(h2.await(f -> f.type() == RST_STREAM || f.type() == GOAWAY,
                                WAIT)).matches(f -> f.streamId() == 257 || f.type() == GOAWAY)
                                .matches(f -> Arrays.asList(REFUSED_STREAM.code(), PROTOCOL_ERROR.code())
                                        .contains(f.errorCode()))),
                // §5.3.1, §6.3: priority
                stream("HEADERS depending on its own stream", 1, h2 -> h2.write(HEADERS,
                        END_HEADERS | END_STREAM | 0x20, 1, concat(new byte[] {0, 0, 0, 1, 15}, request)),
                        PROTOCOL_ERROR),
                stream("PRIORITY depending on its own stream", 1, h2 -> h2.write(PRIORITY, 0, 1,
                        new byte[] {0, 0, 0, 1, 15}), PROTOCOL_ERROR),
                connection("PRIORITY on stream 0", h2 -> h2.write(PRIORITY, 0, 0, new byte[] {0, 0, 0, 1, 15}),
                        PROTOCOL_ERROR),
                stream("PRIORITY of a length other than 5", 1, h2 -> h2.write(PRIORITY, 0, 1, new byte[4]),
                        FRAME_SIZE_ERROR),
                // §6.1, §6.2: DATA and HEADERS
                connection("DATA on stream 0", h2 -> h2.write(DATA, 0, 0, new byte[4]), PROTOCOL_ERROR),
                connection("DATA whose padding is longer than it", h2 -> {
                    h2.headers(1, get("/"), false);
                    h2.write(DATA, PADDED | END_STREAM, 1, new byte[] {10, 'x'});
                }, PROTOCOL_ERROR),
                connection("HEADERS on stream 0", h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM, 0, request),
                        PROTOCOL_ERROR),
                connection("HEADERS whose padding is longer than it", h2 -> h2.write(HEADERS,
                        END_HEADERS | END_STREAM | PADDED, 1, concat(new byte[] {(byte) 200}, request)),
                        PROTOCOL_ERROR),
                // §6.4: RST_STREAM
                connection("RST_STREAM on stream 0", h2 -> h2.rstStream(0, 8), PROTOCOL_ERROR),
                connection("RST_STREAM of a length other than 4", h2 -> {
                    h2.headers(1, get("/delay/1000"), true);
                    h2.write(RST_STREAM, 0, 1, new byte[3]);
                }, FRAME_SIZE_ERROR),
                // §6.7, §6.8: PING and GOAWAY
                connection("PING on a stream", h2 -> h2.write(PING, 0, 1, new byte[8]), PROTOCOL_ERROR),
                connection("PING of a length other than 8", h2 -> h2.write(PING, 0, 0, new byte[7]),
                        FRAME_SIZE_ERROR),
                Arguments.of("a PING is answered with its payload",
                        (Scenario) h2 -> h2.write(PING, 0, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
                        (Expected) h2 -> assertThat(h2.await(f -> f.type() == PING, WAIT))
                                .matches(f -> f.has(RawHttp2Connection.ACK))
                                .matches(f -> Arrays.equals(f.payload(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))),
                connection("GOAWAY on a stream", h2 -> h2.write(GOAWAY, 0, 1, new byte[8]), PROTOCOL_ERROR),
                // §6.9: flow control
                connection("WINDOW_UPDATE of 0 on the connection", h2 -> h2.windowUpdate(0, 0), PROTOCOL_ERROR),
                stream("WINDOW_UPDATE of 0 on a stream", 1, h2 -> {
                    h2.headers(1, get("/delay/1000"), true);
                    h2.windowUpdate(1, 0);
                }, PROTOCOL_ERROR),
                connection("WINDOW_UPDATE of a length other than 4", h2 -> h2.write(WINDOW_UPDATE, 0, 0,
                        new byte[3]), FRAME_SIZE_ERROR),
                connection("a connection window above 2^31-1", h2 -> {
                    h2.windowUpdate(0, Integer.MAX_VALUE);
                    h2.windowUpdate(0, Integer.MAX_VALUE);
                }, FLOW_CONTROL_ERROR),
                stream("a stream window above 2^31-1", 1, h2 -> {
                    h2.headers(1, get("/delay/1000"), true);
                    h2.windowUpdate(1, Integer.MAX_VALUE);
                    h2.windowUpdate(1, Integer.MAX_VALUE);
                }, FLOW_CONTROL_ERROR),
                stream("SETTINGS_INITIAL_WINDOW_SIZE that takes a stream window above 2^31-1", 1, h2 -> {
                    h2.headers(1, get("/delay/1000"), true);
                    h2.windowUpdate(1, Integer.MAX_VALUE - 65535);
                    h2.write(SETTINGS, 0, 0, setting(4, 65536));
                }, FLOW_CONTROL_ERROR),
                // §6.10: CONTINUATION
                connection("a header block interleaved with DATA", h2 -> {
                    h2.write(HEADERS, END_STREAM, 1, request);
                    h2.write(DATA, END_STREAM, 1, new byte[4]);
                }, PROTOCOL_ERROR),
                connection("a header block interleaved with HEADERS on another stream", h2 -> {
                    h2.write(HEADERS, END_STREAM, 1, request);
                    h2.write(HEADERS, END_HEADERS | END_STREAM, 3, request);
                }, PROTOCOL_ERROR),
                connection("a header block interleaved with an unknown frame", h2 -> {
                    h2.write(HEADERS, END_STREAM, 1, request);
                    h2.write(0x20, 0, 0, new byte[4]);
                }, PROTOCOL_ERROR),
                connection("CONTINUATION on another stream", h2 -> {
                    h2.write(HEADERS, END_STREAM, 1, Arrays.copyOf(request, 4));
                    h2.write(CONTINUATION, END_HEADERS, 3, Arrays.copyOfRange(request, 4, request.length));
                }, PROTOCOL_ERROR),
                connection("CONTINUATION after END_HEADERS", h2 -> {
                    h2.write(HEADERS, END_HEADERS, 1, request);
                    h2.write(CONTINUATION, END_HEADERS, 1, literal("x-more", "1"));
                }, PROTOCOL_ERROR),
                Arguments.of("a header block split over CONTINUATION frames is served",
                        (Scenario) h2 -> {
                            h2.write(HEADERS, END_STREAM, 1, Arrays.copyOf(request, 3));
                            h2.write(CONTINUATION, 0, 1, Arrays.copyOfRange(request, 3, 9));
                            h2.write(CONTINUATION, END_HEADERS, 1, Arrays.copyOfRange(request, 9, request.length));
                        },
                        (Expected) h2 -> assertThat(h2.answer(1, WAIT).status()).isEqualTo("200")),
                // §8.1, §8.2, §8.3: messages and fields
                stream("an upper-case field name", 1, h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM, 1,
                        concat(request, literal("X-Upper", "1"))), PROTOCOL_ERROR),
                stream("an unknown pseudo-header", 1, h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM, 1,
                        concat(request, literal(":foo", "1"))), PROTOCOL_ERROR),
                stream("a response pseudo-header in a request", 1, h2 -> h2.write(HEADERS,
                        END_HEADERS | END_STREAM, 1, concat(request, literal(":status", "200"))), PROTOCOL_ERROR),
                stream("a pseudo-header after a regular field", 1, h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM,
                        1, block(literal(":method", "GET"), literal(":scheme", "https"), literal("x-a", "1"),
                                literal(":path", "/"), literal(":authority", "localhost"))), PROTOCOL_ERROR),
                stream("a pseudo-header in trailers", 1, h2 -> {
                    h2.headers(1, get("/"), false);
                    h2.write(HEADERS, END_HEADERS | END_STREAM, 1, literal(":method", "GET"));
                }, PROTOCOL_ERROR),
                stream("a duplicated :path", 1, h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM, 1,
                        concat(request, literal(":path", "/again"))), PROTOCOL_ERROR),
                stream("a duplicated :method", 1, h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM, 1,
                        concat(literal(":method", "POST"), request)), PROTOCOL_ERROR),
                stream("a connection-specific field", 1, h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM, 1,
                        concat(request, literal("connection", "keep-alive"))), PROTOCOL_ERROR),
                stream("TE other than trailers", 1, h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM, 1,
                        concat(request, literal("te", "gzip"))), PROTOCOL_ERROR),
                stream("DATA longer than content-length", 1, h2 -> {
                    h2.write(HEADERS, END_HEADERS, 1, concat(block(literal(":method", "POST"),
                            literal(":scheme", "https"), literal(":path", "/"), literal(":authority", "localhost")),
                            literal("content-length", "1")));
                    h2.data(1, "four", true);
                }, PROTOCOL_ERROR),
                // RFC 7541: HPACK
                connection("HPACK index 0", h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM, 1,
                        concat(request, new byte[] {(byte) 0x80})), COMPRESSION_ERROR),
                connection("HPACK index beyond both tables", h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM, 1,
                        concat(request, new byte[] {(byte) 0xc6})), COMPRESSION_ERROR),
                connection("HPACK table size update above SETTINGS_HEADER_TABLE_SIZE", h2 -> h2.write(HEADERS,
                        END_HEADERS | END_STREAM, 1, concat(new byte[] {0x3f, (byte) 0xe2, 0x1f}, request)),
                        COMPRESSION_ERROR),
                connection("HPACK table size update after a field", h2 -> h2.write(HEADERS,
                        END_HEADERS | END_STREAM, 1, concat(request, new byte[] {0x20})), COMPRESSION_ERROR),
                connection("HPACK Huffman padding longer than 7 bits", h2 -> h2.write(HEADERS,
                        END_HEADERS | END_STREAM, 1, concat(request, new byte[] {0x00, 0x01, 'x', (byte) 0x82,
                            (byte) 0x1f, (byte) 0xff})), COMPRESSION_ERROR),
                connection("HPACK Huffman padding of zeros", h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM, 1,
                        concat(request, new byte[] {0x00, 0x01, 'x', (byte) 0x81, 0x18})), COMPRESSION_ERROR),
                connection("HPACK Huffman with EOS", h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM, 1,
                        concat(request, new byte[] {0x00, 0x01, 'x', (byte) 0x84, (byte) 0xff, (byte) 0xff,
                            (byte) 0xff, (byte) 0xff})), COMPRESSION_ERROR),
                connection("HPACK string longer than the block", h2 -> h2.write(HEADERS, END_HEADERS | END_STREAM,
                        1, concat(request, new byte[] {0x00, 0x01, 'x', 0x10, 'y'})), COMPRESSION_ERROR),
                // §6.5.2, §10.5.1: a header list above SETTINGS_MAX_HEADER_LIST_SIZE
                Arguments.of("a header list above SETTINGS_MAX_HEADER_LIST_SIZE gets 431 and the connection serves on",
                        (Scenario) h2 -> {
                            byte[] big = concat(request, literal("x-big", "a".repeat(100)));
                            byte[] field = bigLiteral("x-large", 70 * 1024);
                            h2.write(HEADERS, END_STREAM, 1, big);
                            for (int i = 0; i < field.length; i += 16384) {
                                int end = Math.min(field.length, i + 16384);
                                h2.write(CONTINUATION, end == field.length ? END_HEADERS : 0, 1,
                                        Arrays.copyOfRange(field, i, end));
                            }
                        },
                        (Expected) h2 -> {
                            Answer refused = h2.answer(1, WAIT);
                            assertThat(refused.status()).isEqualTo("431");
                            h2.headers(3, get("/after"), true);
                            assertThat(h2.answer(3, WAIT).status()).isEqualTo("200");
                        }),
                connection("a header block far above SETTINGS_MAX_HEADER_LIST_SIZE ends the connection", h2 -> {
                    byte[] field = bigLiteral("x-huge", 200 * 1024);
                    h2.write(HEADERS, END_STREAM, 1, request);
                    for (int i = 0; i < field.length; i += 16384) {
                        int end = Math.min(field.length, i + 16384);
                        h2.write(CONTINUATION, end == field.length ? END_HEADERS : 0, 1,
                                Arrays.copyOfRange(field, i, end));
                    }
                }, PROTOCOL_ERROR, Http2Error.ENHANCE_YOUR_CALM));
    }

    private static Arguments connection(String name, Scenario scenario, Http2Error... codes) {
        return Arguments.of(name, scenario, (Expected) h2 -> assertThat(h2.awaitGoAway(WAIT)).as(name)
                .isIn(Arrays.stream(codes).map(Http2Error::code).toArray()));
    }

    private static Arguments stream(String name, int streamId, Scenario scenario, Http2Error code) {
        return Arguments.of(name, scenario, (Expected) h2 -> assertStreamError(h2, streamId, code));
    }

    /** A RST_STREAM on the stream with this code, or a GOAWAY with it (RFC 9113 §5.4.1). */
    private static void assertStreamError(RawHttp2Connection h2, int streamId, Http2Error code) {
        Frame error = h2.await(f -> f.type() == GOAWAY || f.type() == RST_STREAM && f.streamId() == streamId,
                WAIT);
        assertThat(error).isNotNull().isNotEqualTo(RawHttp2Connection.CLOSED);
        assertThat(error.errorCode()).as("%s", error).isEqualTo(code.code());
    }

    /** As {@link #literal}, with a value of {@code length} bytes, its length as a 7-bit prefixed integer. */
    private static byte[] bigLiteral(String name, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        out.write(0);
        out.write(n.length);
        out.writeBytes(n);
        out.write(0x7f);
        int rest = length - 127;
        while (rest >= 128) {
            out.write(rest & 0x7f | 0x80);
            rest >>>= 7;
        }
        out.write(rest);
        byte[] value = new byte[length];
        Arrays.fill(value, (byte) 'a');
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] block(byte[]... fields) {
        return concat(fields);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String readAll(InputStream in) throws java.io.IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
