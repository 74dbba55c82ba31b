package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's quick start as a reader would, from its own fenced blocks, so that an edit to the README is what is
 * tested: the run command against the packaged jar, then each command of the next block, asserting what its
 * {@code # -> …} comment says it prints (each comma-separated part is in its output). Two changes only: the ports
 * 8080, 8081 and 9000 and the directory {@code /tmp/www} become free ones, so that the test runs beside anything (the
 * API's port, which the run command leaves to its default, through {@code PORT} in the environment), and discovery is
 * off, because this machine runs a swarm manager whose services the README's reader does not have. The build command
 * is not run again: this test runs after {@code package}.
 */
class ReadmeQuickStartIT {
    private static final Path REPOSITORY = Path.of(System.getProperty("swarmgate.repository", ".."));
    private static final Pattern FENCE = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL);
    private static final Pattern EXPECTATION = Pattern.compile("#\\s*->\\s*(.+)$");
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final List<Process> sessions = new ArrayList<>();

    @TempDir
    Path www;

    @AfterEach
    void stopWhatTheCommandsStarted() throws Exception {
        for (Process session : sessions) {
            // Each command ran in its own session: its group holds what it left running (the backend, the proxy).
            new ProcessBuilder("kill", "-TERM", "--", "-" + session.pid()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theQuickStartPrintsWhatTheReadmeSays() throws Exception {
        List<List<String>> blocks = quickStartBlocks();
        assertThat(blocks).as("the quick start's blocks: build and run, try, test").hasSize(3);
        assertThat(blocks.get(0)).containsExactly("mvn -B -DskipTests package",
                "DEFAULT_PORTS=8081 java -jar config-api/target/swarmgate.jar");
        assertThat(blocks.get(2)).as("the test command .ci/run runs").containsExactly("mvn -B verify");
        assertThat(Files.readString(REPOSITORY.resolve(".ci/run"))).contains("\nmvn -B verify\n");
        assertThat(REPOSITORY.resolve("config-api/target/swarmgate.jar")).isRegularFile();

        Map<String, String> free = freePlaces();
        int api = Integer.parseInt(free.get("8080"));
        Path proxyLog = www.resolve("swarmgate.log");
        start(substituted(blocks.get(0).get(1), free), Map.of("PORT", free.get("8080")), proxyLog);
        HttpClient client = HttpClient.newHttpClient();
        await("the API at " + api + " (log: " + proxyLog + ")").atMost(PATIENCE).ignoreExceptions().until(() ->
                client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api + "/ping")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

        int checked = 0;
        for (String command : blocks.get(1)) {
            Matcher expectation = EXPECTATION.matcher(command);
            String line = substituted(command, free);
            if (!expectation.find()) {
                assertThat(run(line)).as(line).startsWith("exit 0");
                continue;
            }
            List<String> parts = Arrays.stream(expectation.group(1).split(",")).map(String::strip).toList();
            // A backend started by the line before may take a moment to listen: the reader would try again too.
            await(line).atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(run(line)).startsWith("exit 0").contains(parts));
            checked++;
        }
        assertThat(checked).as("commands whose output the README states").isGreaterThanOrEqualTo(4);
    }

    /** The fenced {@code sh} blocks of the README's quick start, each as its lines that are commands. */
    private static List<List<String>> quickStartBlocks() throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        int start = readme.indexOf("\n## Quick start\n");
        assertThat(start).as("README.md has a quick start").isPositive();
        int end = readme.indexOf("\n## ", start + 1);
        Matcher fence = FENCE.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        List<List<String>> blocks = new ArrayList<>();
        while (fence.find()) {
            blocks.add(fence.group(1).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList());
        }
        return blocks;
    }

    /** The README's ports and directory, each to a free one. */
    private Map<String, String> freePlaces() throws IOException {
        Map<String, String> free = new LinkedHashMap<>();
        for (String port : List.of("8080", "8081", "9000")) {
            try (ServerSocket socket = new ServerSocket(0)) {
                free.put(port, Integer.toString(socket.getLocalPort()));
            }
        }
        free.put("/tmp/www", www.toString());
        return free;
    }

    private static String substituted(String command, Map<String, String> free) {
        String result = command;
        for (Map.Entry<String, String> place : free.entrySet()) {
            result = result.replaceAll("(?<![0-9A-Za-z])" + Pattern.quote(place.getKey()) + "(?![0-9A-Za-z])",
                    Matcher.quoteReplacement(place.getValue()));
        }
        return result;
    }

    /** Starts a long-running command in a session of its own, with {@code variables} too, its output in {@code log}. */
    private void start(String command, Map<String, String> variables, Path log) throws IOException {
        ProcessBuilder builder = session(command);
        builder.environment().putAll(variables);
        sessions.add(builder.redirectErrorStream(true).redirectOutput(log.toFile()).start());
    }

    /**
     * Runs a command to its end: {@code exit <status>} and its output. The output goes to a file, not a pipe, since a
     * process the command leaves running may hold it open.
     */
    private String run(String command) throws IOException, InterruptedException {
        Path output = Files.createTempFile(www, "output", ".txt");
        Process process = session(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        sessions.add(process);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(command).isTrue();
        return "exit " + process.exitValue() + "\n" + Files.readString(output, StandardCharsets.UTF_8);
    }

    /** Bash in a new session, from the repository's root, with the reader's environment and discovery off. */
    private static ProcessBuilder session(String command) {
        ProcessBuilder builder = new ProcessBuilder("setsid", "bash", "-c", command).directory(REPOSITORY.toFile());
        Map<String, String> environment = builder.environment();
        environment.keySet().retainAll(List.of("PATH", "HOME", "JAVA_HOME", "LANG", "TMPDIR"));
        environment.put("DISCOVERY", "off");
        return builder;
    }
}
