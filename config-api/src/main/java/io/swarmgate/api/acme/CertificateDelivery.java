package io.swarmgate.api.acme;

import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.util.List;
import java.util.Optional;

/** Where ordered certificates go: served here and by every replica, and found again after a restart. */
public interface CertificateDelivery {
    /** The certificate of that name this replica serves, if any. */
    Optional<ServerCertificate> current(String name);

    /** Serves {@code certificate} here, then hands it to every other replica; returns those that did not take it. */
    List<String> deliver(ServerCertificate certificate, String pem) throws InvalidCertificateException;
}
