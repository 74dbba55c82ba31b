package io.swarmgate.proxy.tls;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An OpenSSL cipher string ({@code SSL_BIND_CIPHERS}, e.g. {@code ECDH+AESGCM:!aNULL}) evaluated into TLS 1.2 cipher
 * suites, in the JDK's names, so that OpenSSL and the JDK's TLS serve the same list. Follows OpenSSL's rules: a word is
 * a suite's OpenSSL name or an alias (kECDHE, aRSA, AESGCM, SHA256, HIGH…), {@code +} joins words into an
 * intersection, a leading {@code !} removes for good, {@code -} removes, {@code +} moves to the end. Only suites with
 * forward secrecy or RSA key exchange and AES or ChaCha20 are known; aliases of older ones (3DES, RC4, NULL…) match
 * nothing, and words that are neither are reported.
 */
final class CipherExpression {
    /** The TLS 1.2 suites known, OpenSSL name first, strongest first (as OpenSSL's own order). */
    private static final List<Suite> SUITES = List.of(
            new Suite("ECDHE-ECDSA-AES256-GCM-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
            new Suite("ECDHE-RSA-AES256-GCM-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
            new Suite("DHE-RSA-AES256-GCM-SHA384", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
            new Suite("ECDHE-ECDSA-CHACHA20-POLY1305", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
            new Suite("ECDHE-RSA-CHACHA20-POLY1305", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            new Suite("DHE-RSA-CHACHA20-POLY1305", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
            new Suite("ECDHE-ECDSA-AES128-GCM-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
            new Suite("ECDHE-RSA-AES128-GCM-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
            new Suite("DHE-RSA-AES128-GCM-SHA256", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
            new Suite("ECDHE-ECDSA-AES256-SHA384", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
            new Suite("ECDHE-RSA-AES256-SHA384", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"),
            new Suite("DHE-RSA-AES256-SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"),
            new Suite("ECDHE-ECDSA-AES128-SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
            new Suite("ECDHE-RSA-AES128-SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
            new Suite("DHE-RSA-AES128-SHA256", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"),
            new Suite("ECDHE-ECDSA-AES256-SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
            new Suite("ECDHE-RSA-AES256-SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
            new Suite("DHE-RSA-AES256-SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"),
            new Suite("ECDHE-ECDSA-AES128-SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
            new Suite("ECDHE-RSA-AES128-SHA", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
            new Suite("DHE-RSA-AES128-SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"),
            new Suite("AES256-GCM-SHA384", "TLS_RSA_WITH_AES_256_GCM_SHA384"),
            new Suite("AES128-GCM-SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"),
            new Suite("AES256-SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA256"),
            new Suite("AES128-SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256"),
            new Suite("AES256-SHA", "TLS_RSA_WITH_AES_256_CBC_SHA"),
            new Suite("AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA"));
    /** OpenSSL's aliases for suites this proxy never serves: they are valid words that select nothing. */
    private static final Set<String> OBSOLETE = Set.of("ANULL", "ENULL", "NULL", "MD5", "DSS", "ADSS", "RC4", "3DES",
            "DES", "EXP", "EXPORT", "LOW", "MEDIUM", "PSK", "APSK", "KPSK", "SRP", "CAMELLIA", "SEED", "IDEA",
            "AECDH", "KECDH", "AESCCM", "AESCCM8", "ARIA", "SSLV3", "TLSV1", "KDHE-PSK", "COMPLEMENTOFDEFAULT",
            "COMPLEMENTOFALL", "GOST", "SHA1ONLY");

    private final List<String> suites;
    private final List<String> unknown;

    private CipherExpression(List<String> suites, List<String> unknown) {
        this.suites = suites;
        this.unknown = unknown;
    }

    static CipherExpression parse(String expression) {
        List<Suite> selected = new ArrayList<>();
        Set<Suite> banned = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String token : expression.trim().split("[:, ]+")) {
            if (token.isEmpty() || token.startsWith("@")) {
                continue; // @STRENGTH, @SECLEVEL=n: ordering and security levels of OpenSSL's own
            }
            char op = token.charAt(0);
            String words = op == '!' || op == '-' || op == '+' ? token.substring(1) : token;
            Predicate<Suite> match = matcher(words, unknown);
            switch (op) {
                case '!' -> {
                    SUITES.stream().filter(match).forEach(banned::add);
                    selected.removeIf(match);
                }
                case '-' -> selected.removeIf(match);
                case '+' -> {
                    List<Suite> moved = selected.stream().filter(match).toList();
                    selected.removeAll(moved);
                    selected.addAll(moved);
                }
                default -> SUITES.stream().filter(match)
                        .filter(s -> !banned.contains(s) && !selected.contains(s)).forEach(selected::add);
            }
        }
        return new CipherExpression(selected.stream().map(Suite::javaName).toList(), List.copyOf(unknown));
    }

    /** The suites selected, in order, by their JDK names. */
    List<String> suites() {
        return suites;
    }

    /** The words that are neither a known suite nor an alias. */
    List<String> unknown() {
        return unknown;
    }

    private static Predicate<Suite> matcher(String words, List<String> unknown) {
        Predicate<Suite> all = s -> true;
        for (String word : words.split("\\+")) {
            Predicate<Suite> one = aliasOrName(word);
            if (one == null) {
                unknown.add(word);
                return s -> false;
            }
            all = all.and(one);
        }
        return all;
    }

    private static Predicate<Suite> aliasOrName(String word) {
        String alias = word.toUpperCase(Locale.ROOT);
        return switch (alias) {
            case "ALL", "DEFAULT", "HIGH" -> s -> true;
            case "ECDH", "ECDHE", "EECDH", "KECDHE", "KEECDH" -> s -> s.exchange().equals("ECDHE");
            case "DH", "DHE", "EDH", "KDHE", "KEDH" -> s -> s.exchange().equals("DHE");
            case "KRSA" -> s -> s.exchange().equals("RSA");
            case "ARSA" -> s -> s.authentication().equals("RSA");
            case "RSA" -> s -> s.exchange().equals("RSA") || s.authentication().equals("RSA");
            case "ECDSA", "AECDSA" -> s -> s.authentication().equals("ECDSA");
            case "AES" -> s -> s.openSslName().contains("AES");
            case "AES128" -> s -> s.openSslName().contains("AES128");
            case "AES256" -> s -> s.openSslName().contains("AES256");
            case "AESGCM" -> s -> s.openSslName().contains("GCM");
            case "CHACHA20" -> s -> s.openSslName().contains("CHACHA20");
            case "SHA", "SHA1" -> s -> s.openSslName().endsWith("-SHA");
            case "SHA256" -> s -> s.openSslName().endsWith("SHA256");
            case "SHA384" -> s -> s.openSslName().endsWith("SHA384");
            case "TLSV1.2" -> s -> !s.openSslName().endsWith("-SHA");
            default -> {
                if (OBSOLETE.contains(alias)) {
                    yield s -> false;
                }
                Suite named = SUITES.stream().filter(s -> s.openSslName().equalsIgnoreCase(word)
                        || s.javaName().equalsIgnoreCase(word)).findFirst().orElse(null);
                yield named == null ? null : s -> s == named;
            }
        };
    }

    private record Suite(String openSslName, String javaName) {
        String exchange() {
            return openSslName.startsWith("ECDHE-") ? "ECDHE" : openSslName.startsWith("DHE-") ? "DHE" : "RSA";
        }

        String authentication() {
            return openSslName.contains("ECDSA") ? "ECDSA" : "RSA";
        }
    }
}
