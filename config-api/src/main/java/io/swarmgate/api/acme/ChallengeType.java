package io.swarmgate.api.acme;

import java.util.Locale;

/** The validations the data plane answers (RFC 8555 8.3 and RFC 8737); DNS-01 needs the zone, which it has not. */
public enum ChallengeType {
    HTTP_01("http-01"),
    TLS_ALPN_01("tls-alpn-01");

    private final String id;

    ChallengeType(String id) {
        this.id = id;
    }

    /** The name ACME gives it. */
    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming {@code ACME_CHALLENGE} and the names it takes */
    public static ChallengeType of(String id) {
        for (ChallengeType type : values()) {
            if (type.id.equals(id.toLowerCase(Locale.ROOT))) {
                return type;
            }
        }
        throw new IllegalArgumentException("ACME_CHALLENGE: '" + id + "' (expected: http-01 or tls-alpn-01)");
    }
}
