package io.swarmgate.api.logs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes log lines to an output (standard output) from a thread of its own, all the lines waiting in one write. A line
 * costs the thread that logs it its encoding and a queue offer, never a system call nor a wait on a pipe that a slow
 * reader (a container's log driver, say) has filled: an event loop that logs stays an event loop. Written one by one on
 * the API's loop, a reconfigure's line cost it 8 % of its CPU. A line waits at most {@value #REST_MILLIS} ms.
 *
 * <p>While {@value #CAPACITY} lines wait, the next are dropped and counted, and a warning with the count goes out with
 * the next lines written. {@link #stop} writes what waits before it returns: the process stops its logging last as it
 * exits ({@link LogConfiguration#stop}).
 */
final class BatchedConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    static final int CAPACITY = 8192;
    /** A batch buffer grown past this by a burst is let go once written. */
    private static final int KEPT_BUFFER_BYTES = 64 * 1024;
    /**
     * How long the writer rests after a write. A line that finds it waiting wakes it, a thread switch and a system call
     * or two; lines that come while it rests wake nobody and go out together. With a write per line woken so, the API
     * spent more CPU per reconfigure than when it wrote its lines itself.
     */
    private static final long REST_MILLIS = 10;
    private static final long STOP_WAIT_MILLIS = 2_000;

    private final Encoder<ILoggingEvent> encoder;
    private final OutputStream out;
    private final BlockingQueue<byte[]> waiting = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    /** The writer thread's alone. */
    private final List<byte[]> taken = new ArrayList<>();
    private ByteArrayOutputStream batch = new ByteArrayOutputStream(KEPT_BUFFER_BYTES);

    BatchedConsoleAppender(LoggerContext context, String name, Encoder<ILoggingEvent> encoder, OutputStream out) {
        setContext(context);
        setName(name);
        this.encoder = encoder;
        this.out = out;
        writer = new Thread(this::writeUntilStopped, "swarmgate-log-" + name.toLowerCase(Locale.ROOT));
        writer.setDaemon(true);
    }

    @Override
    public void start() {
        super.start();
        writer.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!waiting.offer(encoder.encode(event))) {
            dropped.incrementAndGet();
        }
    }

    @Override
    public void stop() {
        if (!isStarted()) {
            return;
        }
        super.stop();
        writer.interrupt();
        try {
            writer.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeUntilStopped() {
        try {
            while (true) {
                taken.add(waiting.take());
                waiting.drainTo(taken);
                write();
                Thread.sleep(REST_MILLIS);
            }
        } catch (InterruptedException stopping) {
            waiting.drainTo(taken);
            write();
        }
    }

    private void write() {
        long lost = dropped.getAndSet(0);
        for (byte[] line : taken) {
            batch.writeBytes(line);
        }
        taken.clear();
        if (lost > 0) {
            batch.writeBytes(encoder.encode(droppedWarning(lost)));
        }
        try {
            batch.writeTo(out);
            out.flush();
        } catch (IOException e) {
            addError("Log lines could not be written", e);
        }
        if (batch.size() > KEPT_BUFFER_BYTES) {
            batch = new ByteArrayOutputStream(KEPT_BUFFER_BYTES);
        } else {
            batch.reset();
        }
    }

    private ILoggingEvent droppedWarning(long lost) {
        Logger logger = ((LoggerContext) getContext()).getLogger(BatchedConsoleAppender.class);
        return new LoggingEvent(Logger.FQCN, logger, Level.WARN, "{} log lines were dropped: the output "
                + "did not take them as fast as they came ({} were waiting)", null, new Object[] {lost, CAPACITY});
    }
}
