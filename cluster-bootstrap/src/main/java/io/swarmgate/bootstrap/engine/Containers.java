package io.swarmgate.bootstrap.engine;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import io.swarmgate.bootstrap.BootstrapException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Plain containers on one engine: one-off commands (a test stage) and long-running ones (a staging app). */
public final class Containers {
    private Containers() {
    }

    /** A finished command: its exit code and what it wrote, stdout and stderr interleaved. */
    public record Result(int exitCode, String output) {
    }

    /** Creates a container, not started yet; answers its ID. {@code options} sets the rest (network, env, ...). */
    public static String create(Engine engine, String image, List<String> command,
            UnaryOperator<CreateContainerCmd> options) {
        CreateContainerCmd create = engine.api().createContainerCmd(image).withHostConfig(HostConfig.newHostConfig());
        if (!command.isEmpty()) {
            create.withCmd(command);
        }
        return options.apply(create).exec().getId();
    }

    /** Creates and starts a container; answers its ID. */
    public static String start(Engine engine, String image, List<String> command,
            UnaryOperator<CreateContainerCmd> options) {
        String id = create(engine, image, command, options);
        engine.api().startContainerCmd(id).exec();
        return id;
    }

    /** Waits for the container to end, bounded; answers its exit code and output. */
    public static Result await(Engine engine, String id, Duration timeout, String what) {
        Integer exit;
        try {
            exit = engine.api().waitContainerCmd(id).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            throw new BootstrapException(what + ": no end after " + timeout.toSeconds() + " s; output so far:\n"
                    + logs(engine, id), e);
        }
        return new Result(exit, logs(engine, id));
    }

    /** What the container wrote so far. */
    public static String logs(Engine engine, String id) {
        StringBuilder output = new StringBuilder();
        try {
            engine.api().logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return output.toString().trim();
    }

    /** Removes the container, running or not; gone already is fine. */
    public static void remove(Engine engine, String id) {
        try {
            engine.api().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Removed already: what was wanted.
        }
    }
}
