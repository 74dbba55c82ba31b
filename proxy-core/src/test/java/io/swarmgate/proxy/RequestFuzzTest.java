package io.swarmgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.swarmgate.testing.ConnectionCounter;
import io.swarmgate.testing.ProxyExtension;
import io.swarmgate.testing.RawHttpConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 100,000 mutated requests through a live server (leak detection at its paranoid level, see the build): every one is
 * answered or its connection closed, none hangs, no buffer leaks, and valid requests sent between them keep working.
 * The mutations are seeded, so a failure names the seed and the request that caused it.
 */
class RequestFuzzTest {
    private static final int REQUESTS = 100_000;
    private static final int THREADS = 4;
    private static final long SEED = 20261124L;

    /** Valid requests the mutations start from: every framing and feature the parser handles. */
    private static final List<String> CORPUS = List.of(
            "GET /fuzz/a?b=c HTTP/1.1\r\nHost: fuzz.test\r\nUser-Agent: f\r\nAccept: */*\r\n\r\n",
            "POST /fuzz/form HTTP/1.1\r\nHost: fuzz.test\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world",
            "PUT /fuzz/up HTTP/1.1\r\nHost: fuzz.test\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-T: 1\r\n\r\n",
            "GET /fuzz/old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
            "GET http://fuzz.test/fuzz/absolute HTTP/1.1\r\nHost: fuzz.test\r\nConnection: close\r\n\r\n",
            "GET /fuzz/1 HTTP/1.1\r\nHost: fuzz.test\r\n\r\nGET /fuzz/2 HTTP/1.1\r\nHost: fuzz.test\r\n\r\n",
            "POST /fuzz/expect HTTP/1.1\r\nHost: fuzz.test\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
            "DELETE /fuzz/x HTTP/1.1\r\nHost: fuzz.test\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n");
    private static final byte[] SPECIAL = {'\r', '\n', 0, ' ', ':', '\t', ',', ';', '0', 'f', (byte) 0x80, (byte) 0xff};

    private static final ConnectionCounter connections = new ConnectionCounter();
    @RegisterExtension
    static final ProxyExtension proxy = ProxyExtension.builder().backend("fuzz")
            .settings(builder -> builder.observer(connections)).routes(p -> List.of(p.route("fuzz", "/"))).build();

    @Test
    void survivesMutatedRequestsWithoutHangsLeaksOrCollateralDamage() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = SEED + t;
            results.add(threads.submit(() -> fuzz(proxy.port(), seed, REQUESTS / THREADS)));
        }
        List<String> problems = new ArrayList<>();
        for (Future<List<String>> result : results) {
            problems.addAll(result.get());
        }
        threads.shutdown();

        assertThat(problems).as("hangs and failed valid requests").isEmpty();
        assertThat(RawHttpConnection.get(proxy.port(), "fuzz.test", "/fuzz/after").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> connections.closed() == connections.opened());
    }

    /** Sends {@code count} mutated requests, each on its own connection, and a valid one after every hundred. */
    private static List<String> fuzz(int port, long seed, int count) throws IOException {
        Random random = new Random(seed);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] request = mutate(CORPUS.get(random.nextInt(CORPUS.size())).getBytes(StandardCharsets.ISO_8859_1),
                    random);
            try {
                String answer = exchange(port, request);
                if (!answer.isEmpty() && !answer.startsWith("HTTP/1.1 ") && !answer.startsWith("HTTP/1.0 ")) {
                    problems.add("not an HTTP answer (seed " + seed + ", request " + i + "): " + answer);
                }
            } catch (SocketTimeoutException e) {
                problems.add("no answer and no close (seed " + seed + ", request " + i + "): "
                        + new String(request, StandardCharsets.ISO_8859_1));
            }
            if (i % 100 == 99) {
                int status = RawHttpConnection.get(port, "fuzz.test", "/fuzz/valid").status();
                if (status != 200) {
                    problems.add("valid request got " + status + " after request " + i + " (seed " + seed + ")");
                }
            }
        }
        return problems;
    }

    /**
     * Sends the bytes, ends the sending side, and reads until the proxy closes; returns the start of what was
     * answered. A read that times out is a hang.
     */
    private static String exchange(int port, byte[] request) throws IOException {
        StringBuilder answer = new StringBuilder();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            try {
                socket.getOutputStream().write(request);
                socket.shutdownOutput();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (answer.length() < 64) {
                        answer.append(new String(buffer, 0, Math.min(read, 64), StandardCharsets.ISO_8859_1));
                    }
                }
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (SocketException e) {
                // Reset by the proxy while writing or reading: it closed the connection, which is an allowed end.
            }
        }
        return answer.toString();
    }

    /** One to three mutations of the kinds that break parsers: flipped, inserted, deleted, doubled or cut bytes. */
    static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original;
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && bytes.length > 1; m++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(6)) {
                case 0 -> {
                    bytes = bytes.clone();
                    bytes[at] = (byte) random.nextInt(256);
                }
                case 1 -> bytes = insert(bytes, at, new byte[] {SPECIAL[random.nextInt(SPECIAL.length)]});
                case 2 -> bytes = remove(bytes, at, 1 + random.nextInt(Math.min(8, bytes.length - at)));
                case 3 -> {
                    int length = 1 + random.nextInt(Math.min(32, bytes.length - at));
                    byte[] span = java.util.Arrays.copyOfRange(bytes, at, at + length);
                    bytes = insert(bytes, at, span);
                }
                case 4 -> bytes = java.util.Arrays.copyOf(bytes, at + 1);
                default -> {
                    bytes = bytes.clone();
                    if (bytes[at] >= '0' && bytes[at] <= '9') {
                        bytes[at] = (byte) ('0' + random.nextInt(10));
                    } else {
                        bytes[at] = (byte) Character.toUpperCase(bytes[at]);
                    }
                }
            }
        }
        return bytes;
    }

    private static byte[] insert(byte[] bytes, int at, byte[] inserted) {
        byte[] result = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(inserted, 0, result, at, inserted.length);
        System.arraycopy(bytes, at, result, at + inserted.length, bytes.length - at);
        return result;
    }

    private static byte[] remove(byte[] bytes, int at, int length) {
        byte[] result = new byte[bytes.length - length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(bytes, at + length, result, at, bytes.length - at - length);
        return result;
    }
}
