package io.swarmgate.api.certs;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where HTTPS is served and where its certificates come from, as Docker Flow Proxy: the {@code :ssl} entries of
 * {@code DEFAULT_PORTS} and {@code BIND_PORTS}, PEM files in {@code CERTS_DIR} (default {@code /certs}), and Docker
 * secrets named {@code cert-*} or {@code cert_*} in {@code /run/secrets}.
 *
 * @param ports      TLS ports
 * @param certsDir   directory of PEM bundles (key and chain in one file); certificates put through the API are saved
 *                   there when it is writable
 * @param secretsDir directory of Docker secrets
 */
public record TlsSettings(List<Integer> ports, Path certsDir, Path secretsDir) {
    public static final TlsSettings NONE = new TlsSettings(List.of(), Path.of("/certs"), Path.of("/run/secrets"));

    public TlsSettings {
        ports = List.copyOf(ports);
        Objects.requireNonNull(certsDir, "certsDir");
        Objects.requireNonNull(secretsDir, "secretsDir");
    }

    public TlsSettings withPorts(List<Integer> tlsPorts) {
        return new TlsSettings(tlsPorts, certsDir, secretsDir);
    }
}
