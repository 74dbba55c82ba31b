package io.swarmgate.api.logs;

import ch.qos.logback.classic.pattern.DateConverter;
import ch.qos.logback.classic.pattern.LevelConverter;
import ch.qos.logback.classic.pattern.LineSeparatorConverter;
import ch.qos.logback.classic.pattern.LoggerConverter;
import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.pattern.Converter;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.pattern.FormatInfo;
import ch.qos.logback.core.pattern.LiteralConverter;
import java.util.List;

/**
 * Logback's own converters, chained in code as its {@code PatternLayout} chains them from a pattern, so the lines are
 * the pattern's to the character. {@code PatternLayout} itself is left out of a start: its static initializer makes
 * about 70 lambdas, one per converter it knows, and with its pattern parser that is 150 classes loaded before the
 * first log line.
 */
final class ChainedLayout extends LayoutBase<ILoggingEvent> {
    private static final int LEVEL_WIDTH = 5;
    private static final String LOGGER_LENGTH = "30";

    private final Converter<ILoggingEvent> head;

    private ChainedLayout(Converter<ILoggingEvent> head) {
        this.head = head;
    }

    /** {@link LogConfiguration#PATTERN}'s lines: time, level, abbreviated logger, message, then any stack trace. */
    static ChainedLayout line(Context context) {
        DateConverter time = new DateConverter();
        time.setOptionList(List.of(LogConfiguration.TIME_FORMAT));
        LevelConverter level = new LevelConverter();
        level.setFormattingInfo(new FormatInfo(LEVEL_WIDTH, Integer.MAX_VALUE, false, true));
        LoggerConverter logger = new LoggerConverter();
        logger.setOptionList(List.of(LOGGER_LENGTH));
        return chained(context, time, new LiteralConverter<>(" "), level, new LiteralConverter<>(" "), logger,
                new LiteralConverter<>(" - "), new MessageConverter(), new LineSeparatorConverter(),
                new ThrowableProxyConverter());
    }

    /** {@code %msg%n}'s lines: the message alone, then any stack trace. */
    static ChainedLayout message(Context context) {
        return chained(context, new MessageConverter(), new LineSeparatorConverter(), new ThrowableProxyConverter());
    }

    /**
     * The converters in this order, each started as a pattern's are; the stack trace last, as {@code PatternLayout}
     * adds it to a pattern that names none.
     */
    @SafeVarargs
    private static ChainedLayout chained(Context context, Converter<ILoggingEvent>... converters) {
        for (int i = 0; i < converters.length; i++) {
            if (converters[i] instanceof DynamicConverter<ILoggingEvent> dynamic) {
                dynamic.setContext(context);
                dynamic.start();
            }
            if (i > 0) {
                converters[i - 1].setNext(converters[i]);
            }
        }
        ChainedLayout layout = new ChainedLayout(converters[0]);
        layout.setContext(context);
        return layout;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        for (Converter<ILoggingEvent> converter = head; converter != null; converter = converter.getNext()) {
            converter.write(line, event);
        }
        return line.toString();
    }
}
