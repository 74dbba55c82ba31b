package io.swarmgate.api.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Log lines go out whole and in order, a stalled output never holds the thread that logs, and a stop loses nothing. */
class BatchedConsoleAppenderTest {
    private final LoggerContext context = new LoggerContext();
    private final Logger logger = context.getLogger("io.swarmgate.test");
    private BatchedConsoleAppender appender;

    @AfterEach
    void stop() {
        appender.stop();
    }

    @Test
    void writesEveryLineInTheOrderLogged() {
        Recording out = new Recording();
        start(out);

        int count = BatchedConsoleAppender.CAPACITY / 2; // however slowly the writer drains, every line fits
        for (int i = 0; i < count; i++) {
            logger.info("line {}", i);
        }

        List<String> expected = IntStream.range(0, count).mapToObj(i -> "line " + i).toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> out.lines().size() == expected.size());
        assertThat(out.lines()).isEqualTo(expected);
        assertThat(out.writes()).as("the lines waiting go out together").isLessThan(count / 10);
    }

    @Test
    void aStalledOutputNeverHoldsTheLoggerAndWhatDidNotFitIsCounted() throws Exception {
        Stalled out = new Stalled();
        start(out);
        logger.info("first");
        out.entered.await(); // the writer holds "first" and waits on the output

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < BatchedConsoleAppender.CAPACITY + 100; i++) {
                logger.info("line {}", i);
            }
        });
        out.release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> out.lines().size() == BatchedConsoleAppender.CAPACITY + 2);
        List<String> lines = out.lines();
        assertThat(lines.get(0)).isEqualTo("first");
        assertThat(lines.subList(1, BatchedConsoleAppender.CAPACITY + 1))
                .isEqualTo(IntStream.range(0, BatchedConsoleAppender.CAPACITY).mapToObj(i -> "line " + i).toList());
        assertThat(lines.get(BatchedConsoleAppender.CAPACITY + 1)).isEqualTo("100 log lines were dropped: the output "
                + "did not take them as fast as they came (8192 were waiting)");
    }

    @Test
    void stoppingWritesWhatIsStillWaiting() {
        Recording out = new Recording();
        start(out);
        for (int i = 0; i < 5_000; i++) {
            logger.info("line {}", i);
        }

        appender.stop();

        assertThat(out.lines()).hasSize(5_000).endsWith("line 4999");
    }

    private void start(OutputStream out) {
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(ChainedLayout.message(context));
        encoder.start();
        appender = new BatchedConsoleAppender(context, "TEST", encoder, out);
        appender.start();
        logger.setAdditive(false);
        logger.addAppender(appender);
    }

    /** What was written, and in how many writes. */
    private static class Recording extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int writes;

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            writes++;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            writes++;
        }

        synchronized int writes() {
            return writes;
        }

        synchronized List<String> lines() {
            String text = bytes.toString(StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : new ArrayList<>(text.lines().toList());
        }
    }

    /** An output whose first write waits until released, as a pipe whose reader stopped reading. */
    private static final class Stalled extends Recording {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void write(byte[] b, int off, int len) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.write(b, off, len);
        }
    }
}
