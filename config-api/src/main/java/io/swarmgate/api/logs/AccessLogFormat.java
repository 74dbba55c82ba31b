package io.swarmgate.api.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.swarmgate.proxy.CompletedExchange;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How an access log line reads. Both formats carry the same facts: CLF's, then service, upstream, duration, why
 * the proxy answered itself when it did ({@link io.swarmgate.proxy.FailureReason#token()}) and the policy that
 * answered, if one did.
 */
enum AccessLogFormat {
    /**
     * Common Log Format, then the service, the upstream address, the duration and the failure:
     * {@code 127.0.0.1 - - [25/Nov/2026:00:40:00 +0000] "GET /demo HTTP/1.1" 200 113 go-demo 10.0.1.5:8080 1.204ms -}
     * or {@code ... 503 120 go-demo 10.0.1.5:8080 0.310ms refused}; a request a policy answered itself ends with
     * its name: {@code ... 429 190 go-demo - 0.052ms - policy=ratelimit}.
     * The size is every byte sent to the client, head included (as HAProxy logs it); {@code -} stands for what is
     * unknown.
     */
    COMMON {
        @Override
        String line(CompletedExchange exchange, long nowMillis) {
            StringBuilder line = new StringBuilder(160)
                    .append(host(exchange.client())).append(" - - [")
                    .append(CLF_TIME.format(Instant.ofEpochMilli(startMillis(exchange, nowMillis)))).append("] \"")
                    .append(exchange.method().name()).append(' ');
            appendEscaped(line, exchange.target() == null ? "-" : exchange.target());
            return line.append(' ').append(exchange.protocol()).append("\" ")
                    .append(exchange.status()).append(' ').append(exchange.sentBytes()).append(' ')
                    .append(exchange.route() == null ? "-" : exchange.route().serviceName()).append(' ')
                    .append(exchange.upstream() == null ? "-" : hostAndPort(exchange.upstream())).append(' ')
                    .append(String.format(Locale.ROOT, "%.3fms", exchange.durationNanos() / 1e6)).append(' ')
                    .append(exchange.failure() == null ? "-" : exchange.failure().token())
                    .append(exchange.policy() == null ? "" : " policy=" + exchange.policy())
                    .toString();
        }
    },
    /** One JSON object per line, with the same facts under named fields, and the bytes received too. */
    JSON {
        @Override
        String line(CompletedExchange exchange, long nowMillis) {
            StringWriter out = new StringWriter(256);
            try (JsonGenerator json = JSON_FACTORY.createGenerator(out)) {
                json.writeStartObject();
                json.writeStringField("time", Instant.ofEpochMilli(startMillis(exchange, nowMillis)).toString());
                json.writeStringField("client", host(exchange.client()));
                json.writeStringField("method", exchange.method().name());
                json.writeStringField("target", exchange.target());
                json.writeStringField("protocol", exchange.protocol());
                json.writeNumberField("status", exchange.status());
                json.writeNumberField("bytesReceived", exchange.receivedBytes());
                json.writeNumberField("bytesSent", exchange.sentBytes());
                json.writeStringField("service", exchange.route() == null ? null : exchange.route().serviceName());
                json.writeStringField("upstream",
                        exchange.upstream() == null ? null : hostAndPort(exchange.upstream()));
                json.writeNumberField("durationSeconds", exchange.durationNanos() / 1e9);
                json.writeStringField("failure", exchange.failure() == null ? null : exchange.failure().token());
                json.writeStringField("policy", exchange.policy());
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a StringWriter does not fail
            }
            return out.toString();
        }
    };

    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON_FACTORY = new JsonFactory();

    /** The exchange as one line. */
    abstract String line(CompletedExchange exchange, long nowMillis);

    /** When the request arrived, as CLF dates it. */
    private static long startMillis(CompletedExchange exchange, long nowMillis) {
        return nowMillis - exchange.durationNanos() / 1_000_000;
    }

    private static String host(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getHostString() : String.valueOf(address);
    }

    /** A task's IP or a service's name, with the port; never Java's {@code name/<unresolved>} form. */
    private static String hostAndPort(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet.getHostString() + ":" + inet.getPort()
                : String.valueOf(address);
    }

    /** The request line is quoted in CLF: a quote or backslash in the target must not end it. */
    private static void appendEscaped(StringBuilder line, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                line.append('\\');
            }
            line.append(c);
        }
    }
}
