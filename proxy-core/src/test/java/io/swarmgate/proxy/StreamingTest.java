package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmgate.testing.StandaloneProxy;
import io.swarmgate.testing.TestBackend;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bodies stream through the proxy instead of being buffered: a proxy JVM with a 40 MiB heap and 32 MiB of direct
 * memory carries a 1 GiB upload and a 1 GiB download. Buffering either would fail it with OutOfMemoryError.
 */
class StreamingTest {
    private static final long ONE_GIB = 1L << 30;

    private static TestBackend backend;
    private static Process proxy;
    private static int proxyPort;
    private static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void startProxyWithBoundedMemory() throws IOException {
        backend = TestBackend.start("bulk");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        proxy = new ProcessBuilder(List.of(java.toString(), "-Xmx40m", "-XX:MaxDirectMemorySize=32m",
                "-XX:+ExitOnOutOfMemoryError", "-Dio.netty.leakDetection.level=disabled",
                "-cp", System.getProperty("java.class.path"), StandaloneProxy.class.getName(),
                Integer.toString(backend.port())))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("PORT ")) {
            // skip start-up logging
        }
        assertThat(line).as("proxy start-up line").isNotNull();
        proxyPort = Integer.parseInt(line.substring("PORT ".length()).trim());
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.getOutputStream().close();
        proxy.waitFor();
        backend.close();
    }

    @Test
    void oneGibDownloadStreamsThroughABoundedHeap() throws Exception {
        HttpResponse<InputStream> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/download/" + ONE_GIB)).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        long received;
        try (InputStream body = response.body()) {
            received = body.transferTo(java.io.OutputStream.nullOutputStream());
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(received).isEqualTo(ONE_GIB);
        assertThat(proxy.isAlive()).isTrue();
    }

    @Test
    void oneGibUploadStreamsThroughABoundedHeap() throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + "/upload"))
                        .POST(HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> new ZeroBytes(ONE_GIB)), ONE_GIB))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("received " + ONE_GIB);
        assertThat(proxy.isAlive()).isTrue();
    }

    /** {@code size} zero bytes, generated as they are read. */
    private static final class ZeroBytes extends InputStream {
        private long left;

        ZeroBytes(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return 0;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            java.util.Arrays.fill(buffer, offset, offset + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
