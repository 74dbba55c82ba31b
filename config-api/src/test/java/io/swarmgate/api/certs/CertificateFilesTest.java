package io.swarmgate.api.certs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.swarmgate.testing.LogCapture;
import io.swarmgate.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A TLS port without a certificate of the user's says once, at start, that it serves a self-signed one and why. */
class CertificateFilesTest {
    private final LogCapture lines = LogCapture.of(CertificateFiles.class);
    @TempDir
    Path dir;

    @AfterEach
    void release() {
        lines.close();
    }

    @Test
    void warnsThatAMissingDirectoryLeavesTheSelfSignedCertificate() {
        Path missing = dir.resolve("certs");

        assertThat(CertificateFiles.load(new TlsSettings(List.of(443), missing, dir.resolve("secrets")))).isEmpty();

        assertThat(warnings()).containsExactly("HTTPS on port(s) [443] serves a self-signed certificate: CERTS_DIR "
                + missing + " does not exist. Put PEM bundles there, put certificates through the API, or add "
                + "Docker secrets named cert-*");
    }

    @Test
    void warnsThatAnEmptyDirectoryLeavesTheSelfSignedCertificate() {
        CertificateFiles.load(new TlsSettings(List.of(443, 8443), dir, dir.resolve("secrets")));

        assertThat(warnings()).singleElement().asString()
                .startsWith("HTTPS on port(s) [443, 8443] serves a self-signed certificate: CERTS_DIR " + dir
                        + " holds no certificate that can be served.");
    }

    @Test
    void warnsOfAPathThatIsNoDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("certs"), "not a directory");

        CertificateFiles.load(new TlsSettings(List.of(443), file, dir.resolve("secrets")));

        assertThat(warnings()).singleElement().asString().contains("CERTS_DIR " + file + " is not a directory.");
    }

    @Test
    void saysNothingWhenACertificateIsServedOrNoPortServesHttps() throws Exception {
        Files.writeString(dir.resolve("site.pem"), TestCertificates.pem("example.com"));

        assertThat(CertificateFiles.load(new TlsSettings(List.of(443), dir, dir.resolve("secrets")))).hasSize(1);
        CertificateFiles.load(new TlsSettings(List.of(), dir.resolve("missing"), dir.resolve("secrets")));

        assertThat(warnings()).isEmpty();
    }

    private List<String> warnings() {
        return lines.messages(Level.WARN);
    }
}
