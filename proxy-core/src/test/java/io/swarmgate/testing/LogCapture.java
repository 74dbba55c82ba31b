package io.swarmgate.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The lines one logger writes while a test runs: open it before, close it after. */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    private LogCapture(String name) {
        logger = (Logger) LoggerFactory.getLogger(name);
        lines.start();
        logger.addAppender(lines);
    }

    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    public static LogCapture of(Class<?> loggingClass) {
        return new LogCapture(loggingClass.getName());
    }

    /** Every message so far, formatted. */
    public List<String> messages() {
        return messages(Level.TRACE);
    }

    /** The messages so far at {@code level} or above, formatted. */
    public List<String> messages(Level level) {
        synchronized (lines.list) {
            return lines.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(level))
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(lines);
    }
}
