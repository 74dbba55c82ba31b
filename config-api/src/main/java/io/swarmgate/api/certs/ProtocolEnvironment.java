package io.swarmgate.api.certs;

import io.swarmgate.config.GoBooleans;
import io.swarmgate.proxy.TrustedProxies;
import io.swarmgate.proxy.tls.TlsPolicy;
import java.util.Map;

/**
 * The protocol settings read from the environment: {@code ENABLE_H2} (HTTP/2 offered by ALPN on the TLS ports, default
 * true, as Docker Flow Proxy), {@code ENABLE_H2C} (HTTP/2 with prior knowledge on the plain ports, default false),
 * {@code ENABLE_H3} (HTTP/3 on the TLS ports' UDP side, default true where QUIC loads), HAProxy's
 * {@code SSL_BIND_OPTIONS} and {@code SSL_BIND_CIPHERS}, and {@code TRUSTED_PROXIES}.
 */
public final class ProtocolEnvironment {
    private ProtocolEnvironment() {
    }

    /** How the TLS ports negotiate. */
    public static TlsPolicy tlsPolicy(Map<String, String> environment) {
        return TlsPolicy.fromBindSettings(environment.getOrDefault("SSL_BIND_OPTIONS", ""),
                environment.getOrDefault("SSL_BIND_CIPHERS", ""), flag(environment, "ENABLE_H2", true));
    }

    /** Whether the plain ports serve HTTP/2 to clients that start with its preface. */
    public static boolean h2c(Map<String, String> environment) {
        return flag(environment, "ENABLE_H2C", false);
    }

    /** Whether the TLS ports serve HTTP/3 over QUIC on their UDP side too (where QUIC's native library loads). */
    public static boolean h3(Map<String, String> environment) {
        return flag(environment, "ENABLE_H3", true);
    }

    /** The proxies in front whose {@code X-Forwarded-For} names the client ({@code TRUSTED_PROXIES}). */
    public static TrustedProxies trustedProxies(Map<String, String> environment) {
        String value = environment.getOrDefault("TRUSTED_PROXIES", "");
        try {
            return TrustedProxies.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("TRUSTED_PROXIES: " + value + " (expected: CIDR blocks or addresses, "
                    + "comma-separated, such as 10.0.0.0/8,192.0.2.7; " + e.getMessage() + ")");
        }
    }

    private static boolean flag(Map<String, String> environment, String name, boolean otherwise) {
        String value = environment.getOrDefault(name, "");
        if (value.isEmpty()) {
            return otherwise;
        }
        Boolean parsed = GoBooleans.parse(value);
        if (parsed == null) {
            throw new IllegalStateException(name + ": " + value + " (expected: true or false)");
        }
        return parsed;
    }
}
