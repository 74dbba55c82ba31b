package io.swarmgate.api.certs;

import io.swarmgate.api.files.OwnerOnlyFiles;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the certificates present at start: every file of the certificates directory, and the Docker secrets named
 * {@code cert-*} or {@code cert_*}. A file that cannot be served is logged with the reason and skipped, so one bad
 * file does not keep the others, or the proxy, from serving.
 */
public final class CertificateFiles {
    private static final Logger log = LoggerFactory.getLogger(CertificateFiles.class);

    private CertificateFiles() {
    }

    public static List<ServerCertificate> load(TlsSettings settings) {
        List<ServerCertificate> certificates = new ArrayList<>();
        read(settings.certsDir(), CertificateFiles::isFileName, certificates);
        read(settings.secretsDir(), name -> name.startsWith("cert-") || name.startsWith("cert_"), certificates);
        if (certificates.isEmpty() && !settings.ports().isEmpty()) {
            log.warn("HTTPS on port(s) {} serves a self-signed certificate: CERTS_DIR {} {}. Put PEM bundles there, "
                    + "put certificates through the API, or add Docker secrets named cert-*", settings.ports(),
                    settings.certsDir(), whyNone(settings.certsDir()));
        }
        return certificates;
    }

    /** Why a certificates directory gave none. */
    private static String whyNone(Path directory) {
        if (!Files.exists(directory)) {
            return "does not exist";
        }
        if (!Files.isDirectory(directory)) {
            return "is not a directory";
        }
        if (!Files.isReadable(directory) || !Files.isExecutable(directory)) {
            return "cannot be read by this process";
        }
        return "holds no certificate that can be served";
    }

    /**
     * Whether {@code name} can name a certificate's file in the directory: not a path, not hidden (temporary files
     * are), so a name from a request, a peer or a state file cannot write elsewhere.
     */
    public static boolean isFileName(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.startsWith(".") && name.indexOf('\0') < 0;
    }

    /**
     * Saves a certificate put at run time, as DFP keeps it, readable by the owner alone: the bundle holds the private
     * key. False when the directory is not writable.
     *
     * @param name a {@linkplain #isFileName file name}
     */
    public static boolean save(TlsSettings settings, String name, String pem) {
        try {
            OwnerOnlyFiles.write(settings.certsDir().resolve(name), pem.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            log.warn("Certificate {} is served but not saved in {}: {}", name, settings.certsDir(), e.toString());
            return false;
        }
    }

    private static void read(Path directory, java.util.function.Predicate<String> wanted,
                             List<ServerCertificate> into) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!Files.isRegularFile(file) || !wanted.test(name)) {
                    continue;
                }
                try {
                    into.add(ServerCertificate.parse(name, Files.readString(file, StandardCharsets.UTF_8)));
                    log.info("Serving certificate {} from {}", name, directory);
                } catch (InvalidCertificateException | IOException e) {
                    log.error("Skipping certificate file {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            log.error("Cannot list certificates in {}: {}", directory, e.toString());
        }
    }
}
