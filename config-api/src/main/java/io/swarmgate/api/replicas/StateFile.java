package io.swarmgate.api.replicas;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.swarmgate.api.files.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the replica's state in a file ({@code STATE_FILE}), so a restarted replica serves its table before it is
 * ready, even with no peer to copy from. It holds passwords and private keys, so it is written by
 * {@link OwnerOnlyFiles}: mode 0600, and atomically, a process killed at any moment leaving the previous state or the
 * next, never a mix. Changes are coalesced: a burst of reconfigures costs a write or two, not one each; and a write
 * waits at least nine times as long as the last one took, so that the writer takes a tenth of a CPU at most however
 * large the state (100,000 services make 200 MB of JSON, which a storm of reconfigures had written back to back).
 */
public final class StateFile implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StateFile.class);
    private static final long COALESCE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int IDLE_PER_WRITE = 9;

    private final Path file;
    private final Supplier<ReplicaState> state;
    private final LongSupplier nanoTime;
    private final AtomicBoolean due = new AtomicBoolean();
    private final ScheduledThreadPoolExecutor writer = new ScheduledThreadPoolExecutor(1,
            new DefaultThreadFactory("swarmgate-state-file", true));
    /** How long the last write took; read when the next is scheduled. */
    private volatile long lastWriteNanos;

    /** @param state read when a write is due, so the file gets the latest state */
    public StateFile(Path file, Supplier<ReplicaState> state) {
        this(file, state, System::nanoTime);
    }

    StateFile(Path file, Supplier<ReplicaState> state, LongSupplier nanoTime) {
        this.file = file;
        this.state = state;
        this.nanoTime = nanoTime;
        // At close the write that is due goes at once (close), not at its time.
        writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * The state the file holds; empty when there is none yet.
     *
     * @throws IllegalStateException when it cannot be read: starting with an empty table would lose it
     */
    public static Optional<ReplicaState> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ReplicaState.fromJson(Files.readString(file, StandardCharsets.UTF_8),
                    file.toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("STATE_FILE: " + file + " is not a Swarmgate state: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("STATE_FILE: cannot read " + file + ": " + e, e);
        }
    }

    /** Schedules a write of the current state. */
    public void changed() {
        if (due.compareAndSet(false, true)) {
            writer.schedule(this::writeIfDue, waitBeforeWrite(lastWriteNanos), TimeUnit.NANOSECONDS);
        }
    }

    /** How long a change waits for its write, after a write that took {@code lastWriteNanos}. */
    static long waitBeforeWrite(long lastWriteNanos) {
        return Math.max(COALESCE_NANOS, IDLE_PER_WRITE * lastWriteNanos);
    }

    private void writeIfDue() {
        if (!due.getAndSet(false)) {
            return;
        }
        long start = nanoTime.getAsLong();
        try {
            OwnerOnlyFiles.write(file, state.get()::writeJson);
        } catch (IOException e) {
            log.error("Cannot save the state in {}: {}; a restart will not find the latest routes", file, e.toString());
        } finally {
            lastWriteNanos = nanoTime.getAsLong() - start;
        }
    }

    /** Writes what is due, then stops. */
    @Override
    public void close() {
        writer.execute(this::writeIfDue);
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("The state file {} was still being written at shutdown", file);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
