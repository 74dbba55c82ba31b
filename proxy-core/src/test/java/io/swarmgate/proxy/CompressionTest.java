package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.proxy.policy.Compression;
import io.swarmgate.proxy.policy.HeaderEdits;
import io.swarmgate.proxy.policy.ResponseCompression;
import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import io.swarmgate.testing.RawHttpConnection.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** compressionAlgo / compressionType: listed types are compressed for clients that accept it, streamed as chunks. */
class CompressionTest {
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("b")
            .routes(p -> List.of(
                    Route.builder("text").path("/").backend("127.0.0.1", p.backend().port())
                            .policies(compressing(new Compression(List.of("gzip", "deflate"), List.of()))).build(),
                    Route.builder("json").path("/json-only").backend("127.0.0.1", p.backend().port())
                            .policies(compressing(new Compression(List.of("gzip"), List.of("application/json"))))
                            .build()))
            .build();

    private static RoutePolicies compressing(Compression compression) {
        return RoutePolicies.of(List.of(new ResponseCompression(compression)), HeaderEdits.NONE);
    }

    private static Response get(String path, String headers) throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            return connection.exchange("GET " + path + " HTTP/1.1\r\nHost: a\r\n" + headers + "\r\n");
        }
    }

    private static String text(InputStream decompressing) throws IOException {
        try (decompressing) {
            return new String(decompressing.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void compressesAListedTypeWithTheFirstAlgorithmTheClientAccepts() throws IOException {
        Response gzip = get("/text", "Accept-Encoding: br, gzip;q=0.8, deflate\r\n");
        assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gzip.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(gzip.header("Content-Length")).isNull();
        assertThat(gzip.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(text(new GZIPInputStream(new ByteArrayInputStream(gzip.body())))).startsWith("GET /text HTTP/1.1");

        Response deflate = get("/text", "Accept-Encoding: gzip;q=0, deflate\r\n");
        assertThat(deflate.header("Content-Encoding")).isEqualTo("deflate");
        assertThat(text(new InflaterInputStream(new ByteArrayInputStream(deflate.body()))))
                .startsWith("GET /text HTTP/1.1");
    }

    @Test
    void leavesAnswersAloneForClientsThatDoNotAskAndTypesNotListed() throws IOException {
        Response plain = get("/text", "");
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(plain.header("Content-Length")).isNotNull();
        assertThat(plain.bodyText()).startsWith("GET /text HTTP/1.1");

        Response notListed = get("/json-only", "Accept-Encoding: gzip\r\n");
        assertThat(notListed.header("Content-Encoding")).isNull();
        assertThat(notListed.bodyText()).startsWith("GET /json-only HTTP/1.1");
    }

    @Test
    void aChunkedAnswerThatIsNotCompressedStillArrivesWhole() throws IOException {
        Response chunked = get("/chunked", "Accept-Encoding: gzip\r\n");
        assertThat(chunked.header("Content-Encoding")).isNull();
        assertThat(chunked.bodyText()).isEqualTo("hello world");
    }

    @Test
    void anHttp10ClientGetsTheCompressedBodyUntilTheConnectionCloses() throws IOException {
        try (RawHttpConnection connection = RawHttpConnection.open(proxy.port())) {
            Response gzip = connection.exchange("GET /old HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n");
            assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(gzip.header("Transfer-Encoding")).isNull();
            assertThat(text(new GZIPInputStream(new ByteArrayInputStream(gzip.body())))).startsWith("GET /old HTTP/1.1");
            assertThat(connection.isClosedByPeer()).isTrue();
        }
    }
}
