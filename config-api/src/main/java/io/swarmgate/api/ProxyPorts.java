package io.swarmgate.api;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads DFP's {@code DEFAULT_PORTS} and {@code BIND_PORTS}: comma-separated ports, each optionally suffixed
 * {@code :ssl}. Until the proxy terminates TLS, {@code :ssl} ports are skipped with a warning, so DFP's usual
 * {@code 80,443:ssl} still starts.
 */
final class ProxyPorts {
    private static final Logger log = LoggerFactory.getLogger(ProxyPorts.class);
    private static final String SSL = ":ssl";

    private ProxyPorts() {
    }

    /**
     * @param setting the setting's name, for messages
     * @throws IllegalArgumentException naming the setting and the bad entry
     */
    static List<Integer> parse(String setting, String value) {
        List<Integer> ports = new ArrayList<>();
        for (String item : value.split(",")) {
            String entry = item.strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.endsWith(SSL)) {
                log.warn("{}: skipping '{}': TLS is not served yet", setting, entry);
                continue;
            }
            ports.add(port(setting, entry));
        }
        return ports;
    }

    private static int port(String setting, String entry) {
        int port = entry.length() <= 5 && entry.chars().allMatch(c -> c >= '0' && c <= '9')
                ? Integer.parseInt(entry)
                : -1;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(setting + ": '" + entry
                    + "' (expected: comma-separated ports 0-65535, each optionally with :ssl)");
        }
        return port;
    }
}
