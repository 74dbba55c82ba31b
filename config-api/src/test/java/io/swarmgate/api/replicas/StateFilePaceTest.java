package io.swarmgate.api.replicas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How often the state file is written: a large state paces its writes, and what is due at close is written then. */
class StateFilePaceTest {
    private static final long SLOW_WRITE_NANOS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path directory;

    @Test
    void aChangeWaitsFiftyMillisecondsOrNineTimesTheLastWrite() {
        long fifty = TimeUnit.MILLISECONDS.toNanos(50);
        assertThat(StateFile.waitBeforeWrite(0)).isEqualTo(fifty);
        assertThat(StateFile.waitBeforeWrite(TimeUnit.MILLISECONDS.toNanos(2))).isEqualTo(fifty);
        assertThat(StateFile.waitBeforeWrite(TimeUnit.SECONDS.toNanos(1))).isEqualTo(TimeUnit.SECONDS.toNanos(9));
    }

    /** A write that takes ten seconds (by the file's clock) leaves the next change waiting, until close writes it. */
    @Test
    void afterASlowWriteTheNextWaitsAndCloseWritesItAtOnce() throws Exception {
        Path file = directory.resolve("state.json");
        AtomicLong now = new AtomicLong();
        AtomicReference<String> version = new AtomicReference<>("first");
        StateFile stateFile = new StateFile(file, () -> {
            now.addAndGet(SLOW_WRITE_NANOS);
            return new ReplicaState(version.get(), List.of(), Map.of());
        }, now::get);
        try {
            stateFile.changed();
            await().atMost(Duration.ofSeconds(10)).until(() -> written(file).contains("first"));

            version.set("second");
            stateFile.changed();
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                    .until(() -> written(file).contains("first"));
        } finally {
            stateFile.close();
        }
        assertThat(written(file)).contains("second");
    }

    private static String written(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
