package io.swarmgate.config;

import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.tls.ServerCertificate;

/**
 * Where the certificates that services bring with {@code serviceCert} go, e.g. into the proxy's certificate store. As
 * Docker Flow Proxy, the certificate is named after the service's first domain (else the service) and stays when the
 * service is removed.
 */
@FunctionalInterface
public interface ServiceCertificates {
    /** Certificates are dropped: for registries whose proxy serves no HTTPS. */
    ServiceCertificates NONE = (certificate, pem) -> {
    };

    /** Serves {@code certificate}; {@code pem} is its bundle as given, to keep it. */
    void accept(ServerCertificate certificate, String pem);

    /** The certificate of {@code serviceCert}, read under the name Docker Flow Proxy gives it. */
    static ServerCertificate of(ServiceSpec service) {
        String name = service.destinations().stream()
                .flatMap(d -> d.serviceDomain().stream())
                .findFirst()
                .orElse(service.serviceName());
        try {
            return ServerCertificate.parse(name, service.serviceCert());
        } catch (InvalidCertificateException e) {
            throw InvalidServiceException.badRequest("serviceCert: " + e.getMessage());
        }
    }

    /** DFP's form for a PEM in one query parameter or label: literal {@code \n} sequences stand for line breaks. */
    static String normalisePem(String raw) {
        return raw.replace("\\n", "\n");
    }
}
