package io.swarmgate.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker client, run as a developer would type it, so that a failing test shows a command to repeat. Every
 * call waits for the command and throws with its error output when it fails.
 */
final class DockerCli {
    private static final String DOCKER = "/usr/bin/docker";
    private static final long TIMEOUT_SECONDS = 120;

    private DockerCli() {
    }

    /** Runs {@code docker <arguments>} and answers its output, trimmed. */
    static String run(String... arguments) {
        return run(List.of(arguments));
    }

    static String run(List<String> arguments) {
        return run(Map.of(), arguments);
    }

    /** Runs {@code docker <arguments>} with these variables added to its environment (a stack file reads them). */
    static String run(Map<String, String> environment, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(DOCKER);
        command.addAll(arguments);
        return exec(environment, command);
    }

    /** Runs any command the same way: waits for it, answers its output, throws with its error output. */
    static String exec(Map<String, String> environment, List<String> command) {
        try {
            Path errors = Files.createTempFile("docker", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
                builder.environment().putAll(environment);
                Process process = builder.start();
                process.getOutputStream().close();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + ": no end after " + TIMEOUT_SECONDS
                            + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + ": exit " + process.exitValue() + ": "
                            + Files.readString(errors).trim());
                }
                return output.trim();
            } finally {
                Files.delete(errors);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + ": interrupted", e);
        }
    }

    /** The IDs of the containers that run the tasks of {@code service} on this node. */
    static List<String> containersOf(String service) {
        return lines("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + service);
    }

    /** The output's lines, none of them blank. */
    static List<String> lines(String... arguments) {
        return Arrays.stream(run(arguments).split("\n")).filter(line -> !line.isBlank()).toList();
    }
}
