package io.swarmgate.api.acme;

import io.swarmgate.proxy.tls.ServerCertificate;
import java.util.List;
import java.util.Optional;

/** Serves no certificate, and fails a test that gets as far as delivering one. */
final class NoCertificates implements CertificateDelivery {
    @Override
    public Optional<ServerCertificate> current(String name) {
        return Optional.empty();
    }

    @Override
    public List<String> deliver(ServerCertificate certificate, String pem) {
        throw new AssertionError("nothing is ordered in this test");
    }
}
