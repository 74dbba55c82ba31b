package io.swarmgate.api.logs;

import io.swarmgate.config.GoBooleans;
import io.swarmgate.proxy.CompletedExchange;
import io.swarmgate.proxy.ProxyObserver;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per exchange on the logger {@value #LOGGER}, in Common Log Format or as JSON. Off unless asked for: it
 * formats a line per request. The image's logging configuration gives that logger a queue that drops lines rather
 * than block the data plane when the output cannot keep up.
 */
public final class AccessLog implements ProxyObserver {
    public static final String LOGGER = "swarmgate.access";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final AccessLogFormat format;

    AccessLog(AccessLogFormat format) {
        this.format = format;
    }

    /**
     * The access log the environment asks for: {@code ACCESS_LOG=true}, or {@code DEBUG=true} as in Docker Flow
     * Proxy, in the format {@code ACCESS_LOG_FORMAT} names ({@code clf}, the default, or {@code json}).
     */
    public static Optional<ProxyObserver> fromEnvironment(Map<String, String> environment) {
        if (!flag(environment, "ACCESS_LOG") && !flag(environment, "DEBUG")) {
            return Optional.empty();
        }
        String format = environment.getOrDefault("ACCESS_LOG_FORMAT", "clf");
        return Optional.of(new AccessLog(switch (format) {
            case "clf" -> AccessLogFormat.COMMON;
            case "json" -> AccessLogFormat.JSON;
            default -> throw new IllegalArgumentException(
                    "ACCESS_LOG_FORMAT: '" + format + "' (expected: clf or json)");
        }));
    }

    private static boolean flag(Map<String, String> environment, String name) {
        String value = environment.getOrDefault(name, "false");
        Boolean parsed = GoBooleans.parse(value);
        if (parsed == null) {
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: true or false)");
        }
        return parsed;
    }

    @Override
    public void exchangeCompleted(CompletedExchange exchange) {
        if (log.isInfoEnabled()) {
            log.info(format.line(exchange, System.currentTimeMillis()));
        }
    }
}
