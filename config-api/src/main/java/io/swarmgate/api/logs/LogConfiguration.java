package io.swarmgate.api.logs;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.LoggerFactory;

/**
 * Swarmgate's logging, set up in code rather than from an XML file: reading one costs logback about 500 classes and a
 * good part of the CPU a start takes. Lines go to standard output, {@value #PATTERN} (written by
 * {@link ChainedLayout}), and the {@linkplain AccessLog access log} goes there as it is, each through a queue of 8,192
 * lines that a thread of its own writes ({@link BatchedConsoleAppender}): logging never blocks an event loop, and when
 * the output cannot keep up lines are dropped and counted. Netty, Reactor, docker-java and Apache HttpClient log
 * warnings and errors only.
 *
 * <p>A file named by {@code -Dlogback.configurationFile=} replaces all of this, as logback documents. Found by logback
 * through {@code META-INF/services}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfiguration extends ContextAwareBase implements Configurator {
    static final String TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
    /** The lines' pattern in logback's syntax, which {@link ChainedLayout#line} writes. */
    static final String PATTERN = "%d{" + TIME_FORMAT + "} %-5level %logger{30} - %msg%n";
    private static final String[] QUIET = {"io.netty", "reactor", "com.github.dockerjava", "org.apache.hc"};

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console(context, "STDOUT", ChainedLayout.line(context)));
        Logger access = context.getLogger(AccessLog.LOGGER);
        access.setLevel(Level.INFO);
        access.setAdditive(false);
        access.addAppender(console(context, "ACCESS", ChainedLayout.message(context)));

        for (String name : QUIET) {
            context.getLogger(name).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Lines written to standard output by a thread of their own: see {@link BatchedConsoleAppender}. */
    private static Appender<ILoggingEvent> console(LoggerContext context, String name, Layout<ILoggingEvent> layout) {
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        Appender<ILoggingEvent> appender = new BatchedConsoleAppender(context, name, encoder, System.out);
        appender.start();
        return appender;
    }

    /**
     * Stops logging, once every line logged so far is written: the last thing a process does as it exits, so that
     * the lines written by a thread of their own are not lost with it.
     */
    public static void stop() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
