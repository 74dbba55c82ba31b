package io.swarmgate.proxy;

import java.time.Duration;
import java.util.Objects;

/**
 * The data plane's timeouts, named and defaulted as Docker Flow Proxy's {@code TIMEOUT_*} settings.
 *
 * @param connect       opening a backend connection ({@code TIMEOUT_CONNECT}, 5 s); past it the client gets 503
 * @param server        backend inactivity during an exchange ({@code TIMEOUT_SERVER}, 20 s); past it 504
 * @param client        client inactivity during an exchange ({@code TIMEOUT_CLIENT}, 20 s); past it the connection closes
 * @param httpRequest   receiving a whole request head ({@code TIMEOUT_HTTP_REQUEST}, 5 s); past it 408
 * @param httpKeepAlive an idle keep-alive connection waiting for its next request ({@code TIMEOUT_HTTP_KEEP_ALIVE}, 15 s)
 */
public record Timeouts(Duration connect, Duration server, Duration client, Duration httpRequest, Duration httpKeepAlive) {
    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(20),
            Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(15));

    public Timeouts {
        check("connect", connect);
        check("server", server);
        check("client", client);
        check("httpRequest", httpRequest);
        check("httpKeepAlive", httpKeepAlive);
    }

    public Timeouts withConnect(Duration value) {
        return new Timeouts(value, server, client, httpRequest, httpKeepAlive);
    }

    public Timeouts withServer(Duration value) {
        return new Timeouts(connect, value, client, httpRequest, httpKeepAlive);
    }

    public Timeouts withClient(Duration value) {
        return new Timeouts(connect, server, value, httpRequest, httpKeepAlive);
    }

    public Timeouts withHttpRequest(Duration value) {
        return new Timeouts(connect, server, client, value, httpKeepAlive);
    }

    public Timeouts withHttpKeepAlive(Duration value) {
        return new Timeouts(connect, server, client, httpRequest, value);
    }

    private static void check(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: a positive duration)");
        }
    }
}
