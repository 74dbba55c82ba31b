package io.swarmgate.api;

import java.util.ArrayList;
import java.util.List;

/**
 * DFP's {@code DEFAULT_PORTS} and {@code BIND_PORTS}: comma-separated ports, those suffixed {@code :ssl} served with
 * TLS (HTTPS), the others plain HTTP.
 *
 * @param plain plain HTTP ports
 * @param tls   TLS ports
 */
record ProxyPorts(List<Integer> plain, List<Integer> tls) {
    private static final String SSL = ":ssl";

    ProxyPorts {
        plain = List.copyOf(plain);
        tls = List.copyOf(tls);
    }

    /**
     * @param setting the setting's name, for messages
     * @throws IllegalArgumentException naming the setting and the bad entry
     */
    static ProxyPorts parse(String setting, String value) {
        List<Integer> plain = new ArrayList<>();
        List<Integer> tls = new ArrayList<>();
        for (String item : value.split(",")) {
            String entry = item.strip();
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.endsWith(SSL)) {
                tls.add(port(setting, entry.substring(0, entry.length() - SSL.length())));
            } else {
                plain.add(port(setting, entry));
            }
        }
        return new ProxyPorts(plain, tls);
    }

    ProxyPorts plus(ProxyPorts more) {
        List<Integer> allPlain = new ArrayList<>(plain);
        allPlain.addAll(more.plain);
        List<Integer> allTls = new ArrayList<>(tls);
        allTls.addAll(more.tls);
        return new ProxyPorts(allPlain, allTls);
    }

    private static int port(String setting, String entry) {
        int port = !entry.isEmpty() && entry.length() <= 5 && entry.chars().allMatch(c -> c >= '0' && c <= '9')
                ? Integer.parseInt(entry)
                : -1;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(setting + ": '" + entry
                    + "' (expected: comma-separated ports 0-65535, each optionally with :ssl)");
        }
        return port;
    }
}
