package io.swarmgate.proxy.policy;

import java.util.Locale;

/**
 * {@code securityHeaders}: a named set of the answer header fields browsers read for safety, added to the route's
 * answer edits once, when the route is compiled, and replacing any the backend sent. HSTS goes on answers over TLS
 * only: over plain HTTP a browser ignores it (RFC 6797 §8.1), and a redirect to HTTPS is {@code httpsOnly}'s job.
 */
public enum SecurityHeaders {
    /** What no site should lack: no MIME sniffing, framing by its own pages only, HSTS for a year. */
    BASIC("max-age=31536000",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "SAMEORIGIN",
            "Referrer-Policy", "strict-origin-when-cross-origin"),
    /** For a site that is never framed nor shares its window: HSTS for two years, subdomains included. */
    STRICT("max-age=63072000; includeSubDomains",
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()");

    private final String hsts;
    private final String[] fields;

    SecurityHeaders(String hsts, String... fields) {
        this.hsts = hsts;
        this.fields = fields;
    }

    /** The preset of that name ({@code basic}, {@code strict}, any case), or {@code null} when there is none. */
    public static SecurityHeaders named(String name) {
        for (SecurityHeaders preset : values()) {
            if (preset.name().equalsIgnoreCase(name)) {
                return preset;
            }
        }
        return null;
    }

    /** Adds the preset's fields to the edits of answers over TLS and over plain HTTP. */
    public void addTo(HeaderEdits.Builder overTls, HeaderEdits.Builder overPlain) {
        for (int i = 0; i < fields.length; i += 2) {
            overTls.set(fields[i], fields[i + 1]);
            overPlain.set(fields[i], fields[i + 1]);
        }
        overTls.set("Strict-Transport-Security", hsts);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
