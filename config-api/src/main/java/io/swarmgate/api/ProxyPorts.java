package io.swarmgate.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * DFP's {@code DEFAULT_PORTS} and {@code BIND_PORTS}: comma-separated ports, those with {@code :ssl} served with TLS
 * (HTTPS), the others plain HTTP. As in DFP, HAProxy bind options may follow the port ({@code 8443 accept-proxy:ssl});
 * the one Swarmgate knows is {@code accept-proxy}, the PROXY protocol (v1 or v2) before HTTP or TLS.
 *
 * @param plain         plain HTTP ports
 * @param tls           TLS ports
 * @param proxyProtocol the ports, plain or TLS, whose connections start with a PROXY protocol header
 */
record ProxyPorts(List<Integer> plain, List<Integer> tls, Set<Integer> proxyProtocol) {
    private static final String SSL = ":ssl";
    private static final String ACCEPT_PROXY = "accept-proxy";

    ProxyPorts {
        plain = List.copyOf(plain);
        tls = List.copyOf(tls);
        proxyProtocol = Set.copyOf(proxyProtocol);
    }

    /**
     * @param setting the setting's name, for messages
     * @throws IllegalArgumentException naming the setting and the bad entry
     */
    static ProxyPorts parse(String setting, String value) {
        List<Integer> plain = new ArrayList<>();
        List<Integer> tls = new ArrayList<>();
        Set<Integer> proxyProtocol = new LinkedHashSet<>();
        for (String item : value.split(",")) {
            String entry = item.strip();
            if (entry.isEmpty()) {
                continue;
            }
            // DFP replaces ":ssl" wherever it stands with HAProxy's certificate options.
            boolean ssl = entry.contains(SSL);
            String[] words = entry.replace(SSL, " ").strip().split("\\s+");
            int port = port(setting, words[0]);
            (ssl ? tls : plain).add(port);
            for (int i = 1; i < words.length; i++) {
                if (!words[i].equals(ACCEPT_PROXY)) {
                    throw new IllegalArgumentException(setting + ": '" + entry + "' (bind option '" + words[i]
                            + "' not supported; expected: accept-proxy)");
                }
                proxyProtocol.add(port);
            }
        }
        return new ProxyPorts(plain, tls, proxyProtocol);
    }

    ProxyPorts plus(ProxyPorts more) {
        List<Integer> allPlain = new ArrayList<>(plain);
        allPlain.addAll(more.plain);
        List<Integer> allTls = new ArrayList<>(tls);
        allTls.addAll(more.tls);
        Set<Integer> allProxyProtocol = new LinkedHashSet<>(proxyProtocol);
        allProxyProtocol.addAll(more.proxyProtocol);
        return new ProxyPorts(allPlain, allTls, allProxyProtocol);
    }

    private static int port(String setting, String text) {
        int port = !text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9')
                ? Integer.parseInt(text)
                : -1;
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(setting + ": '" + text
                    + "' (expected: comma-separated ports 0-65535, each optionally with :ssl)");
        }
        return port;
    }
}
