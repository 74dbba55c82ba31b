package io.swarmgate.api.http;

import io.swarmgate.api.certs.CertificateFiles;
import io.swarmgate.api.certs.ServedCertificates;
import io.swarmgate.api.json.DfpJson;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker Flow Proxy's certificate endpoints: {@code PUT cert} adds or replaces a certificate, served from the next
 * handshake on; {@code certs} lists them. Unlike DFP, the listing never shows private keys.
 */
final class CertEndpoints {
    private static final Logger log = LoggerFactory.getLogger(CertEndpoints.class);

    private final ServedCertificates certificates;

    CertEndpoints(ServedCertificates certificates) {
        this.certificates = certificates;
    }

    ApiAnswer put(Map<String, List<String>> query, String body) {
        Upload upload = read(query, body);
        if (upload.rejection() != null) {
            return upload.rejection();
        }
        try {
            certificates.serve(upload.certificate(), body);
            return ApiAnswer.json(200, DfpJson.certsOk(null));
        } catch (InvalidCertificateException e) {
            return rejected(upload.certificate().name(), e);
        }
    }

    /** DFP's checks of a {@code PUT cert} before it is distributed; once distributed, DFP answers an empty 200. */
    Distribution.Checked check(Map<String, List<String>> query, String body) {
        Upload upload = read(query, body);
        return upload.rejection() != null ? Distribution.Checked.rejected(upload.rejection())
                : Distribution.Checked.accepted(upload.certificate().name(), ApiAnswer.text(200, ""));
    }

    /** A certificate upload: the certificate read, or why it was refused. */
    private record Upload(ServerCertificate certificate, ApiAnswer rejection) {
    }

    private static Upload read(Map<String, List<String>> query, String body) {
        List<String> names = query.get("certName");
        String name = names == null || names.isEmpty() ? "" : names.get(0);
        if (name.isEmpty()) {
            return refused("Query parameter certName is mandatory");
        }
        if (!CertificateFiles.isFileName(name)) {
            return refused("certName: '" + name + "' (expected: a file name)");
        }
        if (body.isBlank()) {
            return refused("Body is empty");
        }
        try {
            return new Upload(ServerCertificate.parse(name, body), null);
        } catch (InvalidCertificateException e) {
            return new Upload(null, rejected(name, e));
        }
    }

    private static Upload refused(String message) {
        return new Upload(null, ApiAnswer.json(400, DfpJson.certFailure(message)));
    }

    private static ApiAnswer rejected(String name, InvalidCertificateException e) {
        log.info("Rejected certificate {}: {}", name, e.getMessage());
        return ApiAnswer.json(400, DfpJson.certFailure(e.getMessage()));
    }

    ApiAnswer list() {
        String directory = certificates.settings().certsDir().toString();
        List<DfpJson.Cert> certs = certificates.list().stream()
                .map(c -> new DfpJson.Cert("", c.name(), directory, c.chainPem(),
                        certificates.source(c.name()).name().toLowerCase(Locale.ROOT)))
                .toList();
        return ApiAnswer.json(200, DfpJson.certsOk(certs));
    }
}
