package io.swarmgate.api.logs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chained converters write what logback's PatternLayout writes from the patterns, stack traces included. */
class ChainedLayoutTest {
    private final LoggerContext context = new LoggerContext();

    @Test
    void writesThePatternsLines() {
        PatternLayout pattern = pattern(LogConfiguration.PATTERN);
        ChainedLayout chained = ChainedLayout.line(context);

        for (ILoggingEvent event : events()) {
            assertThat(chained.doLayout(event)).isEqualTo(pattern.doLayout(event));
        }
        assertThat(chained.doLayout(events().get(0))).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}"
                + "(Z|[+-]\\d\\d:\\d\\d) INFO  i\\.swarmgate\\.proxy\\.ProxyServer - Data plane listening on 80\\R");
    }

    @Test
    void writesTheMessageAloneAsTheAccessLogsPatternDoes() {
        PatternLayout pattern = pattern("%msg%n");
        ChainedLayout chained = ChainedLayout.message(context);

        for (ILoggingEvent event : events()) {
            assertThat(chained.doLayout(event)).isEqualTo(pattern.doLayout(event));
        }
    }

    private PatternLayout pattern(String pattern) {
        PatternLayout layout = new PatternLayout();
        layout.setContext(context);
        layout.setPattern(pattern);
        layout.start();
        return layout;
    }

    private List<ILoggingEvent> events() {
        Exception failure = new IllegalStateException("cannot bind", new UncheckedIOException(
                new IOException("Address already in use")));
        return List.of(event("io.swarmgate.proxy.ProxyServer", Level.INFO, "Data plane listening on {}", null, 80),
                event("io.swarmgate.api.replicas.ListenerPull$Attempt", Level.WARN, "pull failed: {}", null, "503"),
                event("Main", Level.ERROR, "Swarmgate cannot start", failure),
                event("swarmgate.access", Level.INFO, "127.0.0.1 - - \"GET / HTTP/1.1\" 200 13", null),
                event("io.swarmgate.config.ServiceRegistry", Level.DEBUG, "", null));
    }

    private LoggingEvent event(String logger, Level level, String message, Throwable failure, Object... arguments) {
        return new LoggingEvent(ChainedLayoutTest.class.getName(), context.getLogger(logger), level, message, failure,
                arguments);
    }
}
