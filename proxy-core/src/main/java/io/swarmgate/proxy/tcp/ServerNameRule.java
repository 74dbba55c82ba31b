package io.swarmgate.proxy.tcp;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * One server name a stream route takes, matched against the SNI of a connection's TLS ClientHello as HAProxy's
 * {@code req_ssl_sni} ACL does with its {@code -m} method. Names compare without case: a ClientHello's name arrives
 * lower-cased. A regular expression runs on RE2/J, in time linear in the name whatever the pattern: the name is the
 * client's, and Java's backtracking engine spent 23 s of an event loop matching {@code ^(.*a){20}$} against one
 * crafted name of 31 characters.
 */
public final class ServerNameRule {
    /** How the value is compared with the connection's server name. */
    public enum Match {
        /** The whole name ({@code -m str}, the default). */
        EXACT,
        /** A label-boundary suffix: {@code *.example.com} takes {@code a.example.com} and {@code a.b.example.com}. */
        WILDCARD,
        /** The name starts with the value ({@code -m beg}). */
        PREFIX,
        /** The name ends with the value ({@code -m end}). */
        SUFFIX,
        /** The name contains the value ({@code -m sub}). */
        SUBSTRING,
        /** A regular expression found anywhere in the name ({@code -m reg}). */
        REGEX
    }

    private final Match match;
    private final String value;
    private final Pattern pattern;

    private ServerNameRule(Match match, String value, Pattern pattern) {
        this.match = match;
        this.value = value;
        this.pattern = pattern;
    }

    /**
     * @throws IllegalArgumentException for an empty value, a wildcard that is not {@code *.<name>}, or a regular
     *                                  expression that does not compile
     */
    public static ServerNameRule of(Match match, String value) {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("server name: must not be empty");
        }
        if (match == Match.REGEX) {
            try {
                return new ServerNameRule(match, value, Pattern.compile(value, Pattern.CASE_INSENSITIVE));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("server name: '" + value + "' (expected: a regular expression; "
                        + e.getDescription() + ")");
            }
        }
        if (match == Match.WILDCARD && (!value.startsWith("*.") || value.length() < 3)) {
            throw new IllegalArgumentException("server name: '" + value + "' (expected: *.<domain>)");
        }
        String lower = value.toLowerCase(Locale.ROOT);
        return new ServerNameRule(match, match == Match.WILDCARD ? lower.substring(1) : lower, null);
    }

    /**
     * Exact, a wildcard when the domain starts with {@code *.}, or DFP's suffix when it starts with {@code *} and no
     * dot ({@code *example.com}), as {@code serviceDomain} values are written.
     */
    public static ServerNameRule domain(String domain) {
        if (domain.startsWith("*") && !domain.startsWith("*.")) {
            return of(Match.SUFFIX, domain.substring(1));
        }
        return of(domain.startsWith("*.") ? Match.WILDCARD : Match.EXACT, domain);
    }

    /** @param serverName the ClientHello's name, lower-cased; {@code null} when it named none */
    public boolean matches(String serverName) {
        if (serverName == null) {
            return false;
        }
        return switch (match) {
            case EXACT -> serverName.equals(value);
            case WILDCARD -> serverName.endsWith(value) && serverName.length() > value.length();
            case SUFFIX -> serverName.endsWith(value);
            case PREFIX -> serverName.startsWith(value);
            case SUBSTRING -> serverName.contains(value);
            case REGEX -> pattern.matcher(serverName).find();
        };
    }

    public Match match() {
        return match;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerNameRule other && match == other.match && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return match.hashCode() * 31 + value.hashCode();
    }

    @Override
    public String toString() {
        return switch (match) {
            case EXACT -> value;
            case WILDCARD -> "*" + value;
            case PREFIX -> value + "*";
            case SUFFIX -> "*" + value;
            case SUBSTRING -> "*" + value + "*";
            case REGEX -> "~" + value;
        };
    }
}
