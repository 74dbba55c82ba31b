package io.swarmgate.bootstrap.host;

import io.swarmgate.bootstrap.BootstrapException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host-side commands no API offers: {@code ip} (bridge, namespaces, routes), {@code iptables} for the lab, and
 * {@code ldd} for the registry image's libraries. Each call is bounded and names the command when it fails.
 */
public final class HostCommand {
    private static final long TIMEOUT_SECONDS = 30;

    private HostCommand() {
    }

    /** Runs the command; throws with its output when it fails. */
    public static String run(String... command) {
        Result result = exec(command);
        if (result.exit != 0) {
            throw new BootstrapException(String.join(" ", command) + ": exit " + result.exit + ": " + result.output);
        }
        return result.output;
    }

    /** Whether the command succeeds (a check such as {@code iptables -C}). */
    public static boolean succeeds(String... command) {
        return exec(command).exit == 0;
    }

    private record Result(int exit, String output) {
    }

    private static Result exec(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BootstrapException(String.join(" ", command) + ": no end after " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new BootstrapException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BootstrapException(String.join(" ", command) + ": interrupted", e);
        }
    }
}
