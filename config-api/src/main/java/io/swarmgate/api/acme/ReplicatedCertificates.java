package io.swarmgate.api.acme;

import io.netty.handler.codec.http.QueryStringEncoder;
import io.swarmgate.api.certs.ServedCertificates;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.util.List;
import java.util.Optional;

/**
 * Delivers an ordered certificate as a {@code PUT cert} would: served and saved here (certificates directory, state
 * file), then sent to every other replica's {@code PUT cert}, which does the same there.
 */
public final class ReplicatedCertificates implements CertificateDelivery {
    private final ServedCertificates certificates;
    private final Replicas replicas;

    public ReplicatedCertificates(ServedCertificates certificates, Replicas replicas) {
        this.certificates = certificates;
        this.replicas = replicas;
    }

    @Override
    public Optional<ServerCertificate> current(String name) {
        return certificates.list().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    @Override
    public List<String> deliver(ServerCertificate certificate, String pem) throws InvalidCertificateException {
        certificates.serve(certificate, pem);
        QueryStringEncoder put = new QueryStringEncoder("/v1/docker-flow-proxy/cert");
        put.addParam("certName", certificate.name());
        put.addParam("distribute", "false");
        return replicas.send("PUT", put.toString(), pem);
    }
}
