package io.swarmgate.api.certs;

/** Where a served certificate came from, as {@code GET certs} shows it. */
public enum CertificateSource {
    /** The certificates directory or a Docker secret, read at start. */
    FILE,
    /** {@code PUT cert}, a service's {@code serviceCert}, or a replica that had one of these. */
    API,
    /** Ordered by this proxy over ACME (automatic HTTPS). */
    ACME;

    /** Certificates the proxy ordered are named so; the name travels with them to every replica and state file. */
    public static final String ACME_PREFIX = "acme-";

    /** The source of a certificate put at run time, told by its name. */
    static CertificateSource ofRunTime(String name) {
        return name.startsWith(ACME_PREFIX) ? ACME : API;
    }
}
