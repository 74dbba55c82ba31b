package io.swarmgate.api;

import io.swarmgate.proxy.Timeouts;
import java.util.List;
import java.util.Objects;

/**
 * The static settings of a Swarmgate server, named after Docker Flow Proxy's environment variables.
 *
 * @param apiAddress the configuration API's bind address ({@code IP})
 * @param apiPort    the configuration API's port ({@code PORT}), 0 for a free one
 * @param proxyPorts the data plane's plain HTTP ports ({@code DEFAULT_PORTS} then {@code BIND_PORTS}), 0 for a free one
 * @param separator  list separator of reconfigure parameters ({@code SEPARATOR})
 * @param httpsOnly  redirect every service to https ({@code HTTPS_ONLY})
 * @param timeouts   the data plane's timeouts ({@code TIMEOUT_*})
 */
public record ServerSettings(String apiAddress, int apiPort, List<Integer> proxyPorts, String separator,
                             boolean httpsOnly, Timeouts timeouts) {
    public ServerSettings {
        Objects.requireNonNull(apiAddress, "apiAddress");
        proxyPorts = List.copyOf(proxyPorts);
        if (proxyPorts.isEmpty()) {
            throw new IllegalArgumentException("proxyPorts: empty (expected: at least one port)");
        }
        Objects.requireNonNull(separator, "separator");
        Objects.requireNonNull(timeouts, "timeouts");
    }

    /** Everything on free loopback ports: for tests and embedding. */
    public static ServerSettings ephemeral() {
        return new ServerSettings("127.0.0.1", 0, List.of(0), ",", false, Timeouts.DEFAULTS);
    }
}
