package io.swarmgate.proxy.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the TLS listeners negotiate: the protocol versions, the cipher suites (JDK names; TLS 1.3's first) and whether
 * ALPN offers {@code h2} besides {@code http/1.1}. The same for every certificate, and for OpenSSL and the JDK's TLS.
 *
 * @param protocols    {@code TLSv1.3} and/or {@code TLSv1.2}
 * @param cipherSuites the suites served, in order of preference
 * @param http2        whether clients may choose HTTP/2 by ALPN
 */
public record TlsPolicy(List<String> protocols, List<String> cipherSuites, boolean http2) {
    private static final Logger log = LoggerFactory.getLogger(TlsPolicy.class);
    private static final String TLS13 = "TLSv1.3";
    private static final String TLS12 = "TLSv1.2";
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");
    /** Forward secrecy and AEAD only (Mozilla's "intermediate" TLS 1.2 list). */
    static final String MODERN_CIPHERS = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
            + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
            + "ECDHE-RSA-CHACHA20-POLY1305";

    /** TLS 1.3 and 1.2, the modern suites, HTTP/2 offered. */
    public static final TlsPolicy DEFAULT = new TlsPolicy(List.of(TLS13, TLS12), suitesOf(List.of(TLS13, TLS12),
            CipherExpression.parse(MODERN_CIPHERS).suites()), true);

    public TlsPolicy {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        if (protocols.isEmpty() || !List.of(TLS13, TLS12).containsAll(protocols)) {
            throw new IllegalArgumentException("protocols: " + protocols + " (expected: TLSv1.3 and/or TLSv1.2)");
        }
    }

    /** This policy, with HTTP/2 offered by ALPN or not. */
    public TlsPolicy withHttp2(boolean enabled) {
        return new TlsPolicy(protocols, cipherSuites, enabled);
    }

    /**
     * The policy HAProxy's bind settings describe, as Docker Flow Proxy takes them from {@code SSL_BIND_OPTIONS} and
     * {@code SSL_BIND_CIPHERS}: options such as {@code no-tlsv12}, {@code no-tlsv13}, {@code force-tlsv12},
     * {@code ssl-min-ver TLSv1.3}, {@code ssl-max-ver TLSv1.2} narrow the versions (TLS 1.0 and 1.1 are never served,
     * so {@code no-sslv3}, {@code no-tlsv10}, {@code no-tlsv11} change nothing; {@code no-tls-tickets} is accepted
     * but not applied: OpenSSL still sends TLS 1.3 session tickets, and the JDK's TLS has no switch per context);
     * the cipher string, OpenSSL's syntax, chooses the TLS 1.2 suites. Nothing is
     * refused: what is not understood, or would leave nothing to serve, is logged once and left out.
     *
     * @param options an empty string for the defaults
     * @param ciphers an empty string for the modern defaults
     */
    public static TlsPolicy fromBindSettings(String options, String ciphers, boolean http2) {
        List<String> ignored = new ArrayList<>();
        List<String> protocols = protocolsOf(Objects.requireNonNull(options, "options"), ignored);
        List<String> tls12Suites = List.of();
        if (protocols.contains(TLS12)) {
            CipherExpression expression = CipherExpression.parse(Objects.requireNonNull(ciphers, "ciphers").isBlank()
                    ? MODERN_CIPHERS : ciphers);
            expression.unknown().forEach(word -> ignored.add("cipher " + word));
            tls12Suites = expression.suites();
            if (tls12Suites.isEmpty()) {
                ignored.add("SSL_BIND_CIPHERS " + ciphers + " (no cipher suite left: the modern list serves)");
                tls12Suites = CipherExpression.parse(MODERN_CIPHERS).suites();
            }
        }
        if (!ignored.isEmpty()) {
            log.warn("TLS settings ignored: {}", String.join(", ", ignored));
        }
        return new TlsPolicy(protocols, suitesOf(protocols, tls12Suites), http2);
    }

    private static List<String> suitesOf(List<String> protocols, List<String> tls12Suites) {
        List<String> suites = new ArrayList<>();
        if (protocols.contains(TLS13)) {
            suites.addAll(TLS13_SUITES);
        }
        if (protocols.contains(TLS12)) {
            suites.addAll(tls12Suites);
        }
        return suites;
    }

    private static List<String> protocolsOf(String options, List<String> ignored) {
        boolean tls13 = true;
        boolean tls12 = true;
        String[] tokens = options.trim().split("\\s+");
        for (int i = 0; i < tokens.length; i++) {
            String option = tokens[i].toLowerCase(Locale.ROOT);
            switch (option) {
                case "", "no-sslv3", "no-tlsv10", "no-tlsv11", "no-tls-tickets" -> {
                }
                case "no-tlsv12" -> tls12 = false;
                case "no-tlsv13" -> tls13 = false;
                case "force-tlsv12" -> tls13 = false;
                case "force-tlsv13" -> tls12 = false;
                case "ssl-min-ver", "ssl-max-ver" -> {
                    String version = i + 1 < tokens.length ? tokens[++i] : "";
                    boolean min = option.equals("ssl-min-ver");
                    switch (version.toUpperCase(Locale.ROOT)) {
                        case "TLSV1.3" -> tls12 &= !min;
                        case "TLSV1.2" -> tls13 &= min;
                        case "SSLV3", "TLSV1.0", "TLSV1.1" -> {
                            if (!min) {
                                ignored.add(option + " " + version + " (TLS 1.2 is the oldest served)");
                            }
                        }
                        default -> ignored.add(option + " " + version);
                    }
                }
                default -> ignored.add(tokens[i]);
            }
        }
        List<String> protocols = new ArrayList<>();
        if (tls13) {
            protocols.add(TLS13);
        }
        if (tls12) {
            protocols.add(TLS12);
        }
        if (protocols.isEmpty()) {
            ignored.add("SSL_BIND_OPTIONS " + options.trim() + " (no protocol left: TLS 1.2 and 1.3 serve)");
            return List.of(TLS13, TLS12);
        }
        return protocols;
    }
}
