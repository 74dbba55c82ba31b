package io.swarmgate.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code discoveryType} of services that name none, from {@code DEFAULT_DISCOVERY_TYPE}: {@code DNS} (balance
 * over the tasks), {@code Overlay} (the VIP, as Docker Flow Proxy), or {@code auto} (the default): tasks when Docker's
 * embedded DNS answers the container, which is where {@code tasks.<service>} resolves.
 */
final class DefaultDiscoveryType {
    /** Docker's embedded DNS server, the resolver of every container on a user-defined or overlay network. */
    private static final String DOCKER_DNS = "127.0.0.11";

    private DefaultDiscoveryType() {
    }

    static String of(Map<String, String> environment, Path resolvConf) {
        String value = environment.getOrDefault("DEFAULT_DISCOVERY_TYPE", "auto");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "dns" -> "DNS";
            case "overlay", "vip" -> "";
            case "auto", "" -> dockerDns(resolvConf) ? "DNS" : "";
            default -> throw new IllegalArgumentException("DEFAULT_DISCOVERY_TYPE: '" + value
                    + "' (expected: auto, DNS or Overlay)");
        };
    }

    /** Whether Docker's embedded DNS is the resolver: the process runs in a container of a swarm network. */
    static boolean dockerDns(Path resolvConf) {
        try {
            return Files.readAllLines(resolvConf).stream().map(String::strip)
                    .anyMatch(line -> line.startsWith("nameserver") && line.endsWith(" " + DOCKER_DNS));
        } catch (IOException e) {
            return false;
        }
    }
}
