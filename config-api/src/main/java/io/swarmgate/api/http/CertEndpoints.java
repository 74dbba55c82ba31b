package io.swarmgate.api.http;

import io.swarmgate.api.certs.CertificateFiles;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.api.json.DfpJson;
import io.swarmgate.proxy.ProxyServer;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker Flow Proxy's certificate endpoints: {@code PUT cert} adds or replaces a certificate, served from the next
 * handshake on; {@code certs} lists them. Unlike DFP, the listing never shows private keys.
 */
final class CertEndpoints {
    private static final Logger log = LoggerFactory.getLogger(CertEndpoints.class);

    private final ProxyServer proxy;
    private final TlsSettings settings;

    CertEndpoints(ProxyServer proxy, TlsSettings settings) {
        this.proxy = proxy;
        this.settings = settings;
    }

    ApiAnswer put(Map<String, List<String>> query, String body) {
        List<String> names = query.get("certName");
        String name = names == null || names.isEmpty() ? "" : names.get(0);
        if (name.isEmpty()) {
            return ApiAnswer.json(400, DfpJson.certFailure("Query parameter certName is mandatory"));
        }
        if (name.contains("/") || name.startsWith(".")) {
            return ApiAnswer.json(400, DfpJson.certFailure("certName: '" + name + "' (expected: a file name)"));
        }
        if (body.isBlank()) {
            return ApiAnswer.json(400, DfpJson.certFailure("Body is empty"));
        }
        try {
            ServerCertificate certificate = ServerCertificate.parse(name, body);
            synchronized (this) {
                proxy.certificates(proxy.certificates().with(certificate));
            }
            CertificateFiles.save(settings, name, body);
            log.info("Serving certificate {} for {}", name, certificate.names());
            return ApiAnswer.json(200, DfpJson.certsOk(null));
        } catch (InvalidCertificateException e) {
            log.info("Rejected certificate {}: {}", name, e.getMessage());
            return ApiAnswer.json(400, DfpJson.certFailure(e.getMessage()));
        }
    }

    ApiAnswer list() {
        List<DfpJson.Cert> certs = proxy.certificates().certificates().stream()
                .map(c -> new DfpJson.Cert("", c.name(), settings.certsDir().toString(), c.chainPem()))
                .toList();
        return ApiAnswer.json(200, DfpJson.certsOk(certs));
    }
}
