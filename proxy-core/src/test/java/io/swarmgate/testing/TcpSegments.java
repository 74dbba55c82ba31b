package io.swarmgate.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the TCP segments that carried data to a loopback server, from the kernel's own count ({@code ss}'s
 * {@code data_segs_in}, TCP_INFO's {@code tcpi_data_segs_in}): over loopback each write of a few hundred bytes is one
 * segment, so the count says in how many writes a peer sent what the server received.
 */
public final class TcpSegments {
    private static final Pattern DATA_SEGS_IN = Pattern.compile("\\bdata_segs_in:(\\d+)");

    private TcpSegments() {
    }

    /** The data segments received so far by the established connections whose local port is {@code port}. */
    public static long receivedOnPort(int port) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-tinH", "state", "established", "( sport = :" + port + " )")
                .redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ss.waitFor(10, TimeUnit.SECONDS) || ss.exitValue() != 0) {
            throw new IOException("ss failed: " + out);
        }
        long segments = 0;
        Matcher m = DATA_SEGS_IN.matcher(out);
        while (m.find()) {
            segments += Long.parseLong(m.group(1));
        }
        return segments;
    }
}
