package io.swarmgate.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Swarmgate's {@code main} in a process of its own, on free loopback ports, for signals a JVM cannot send itself. */
final class SwarmgateProcess implements AutoCloseable {
    private static final Pattern STARTED =
            Pattern.compile("proxy on port\\(s\\) \\[(\\d+)], configuration API on [^:]+:(\\d+)");

    private final Process process;
    private final int proxyPort;
    private final int apiPort;
    private final List<String> startUpLog;

    private SwarmgateProcess(Process process, int proxyPort, int apiPort, List<String> startUpLog) {
        this.process = process;
        this.proxyPort = proxyPort;
        this.apiPort = apiPort;
        this.startUpLog = startUpLog;
    }

    /** Starts it with these extra environment variables and returns once it serves (its start-up line is read). */
    static SwarmgateProcess start(Map<String, String> environment) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName()).redirectErrorStream(true);
        builder.environment().put("PORT", "0");
        builder.environment().put("IP", "127.0.0.1");
        builder.environment().put("DEFAULT_PORTS", "0");
        builder.environment().putAll(environment);
        Process process = builder.start();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        List<String> startUpLog = new ArrayList<>();
        String line;
        while ((line = output.readLine()) != null) {
            startUpLog.add(line);
            Matcher started = STARTED.matcher(line);
            if (started.find()) {
                Thread drain = new Thread(() -> drainQuietly(output));
                drain.setDaemon(true);
                drain.start();
                return new SwarmgateProcess(process, Integer.parseInt(started.group(1)),
                        Integer.parseInt(started.group(2)), List.copyOf(startUpLog));
            }
        }
        throw new AssertionError("Swarmgate exited before it started");
    }

    private static void drainQuietly(BufferedReader output) {
        try {
            while (output.readLine() != null) {
                // the server's log is not needed past start-up
            }
        } catch (IOException closedWithTheProcess) {
            // the process is gone
        }
    }

    Process process() {
        return process;
    }

    int proxyPort() {
        return proxyPort;
    }

    int apiPort() {
        return apiPort;
    }

    /** What it logged up to its start-up line, that line included. */
    List<String> startUpLog() {
        return startUpLog;
    }

    /** Kills it if it still runs. */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}
