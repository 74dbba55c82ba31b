package io.swarmgate.api.replicas;

import io.swarmgate.api.certs.ServedCertificates;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Takes over a saved or a peer's state: its services replace ours of the same name; its certificates are served. */
public final class StateAdoption {
    private static final Logger log = LoggerFactory.getLogger(StateAdoption.class);

    private StateAdoption() {
    }

    /**
     * Each service passes the API's rules as it is applied; one that does not (a hand-edited file's, a hostile or a
     * newer replica's) is refused with a log line naming it and the value, and the others are taken.
     *
     * @param source for the log, e.g. the peer's address
     * @return the number of services applied
     */
    public static int adopt(ReplicaState state, String source, ServiceRegistry registry,
                            ServedCertificates certificates) {
        for (Map.Entry<String, String> bundle : state.certificates().entrySet()) {
            try {
                certificates.serve(ServerCertificate.parse(bundle.getKey(), bundle.getValue()), bundle.getValue());
            } catch (InvalidCertificateException e) {
                log.warn("Certificate {} from {} refused: {}", bundle.getKey(), source, e.getMessage());
            }
        }
        int applied = 0;
        for (ServiceSpec service : state.services()) {
            try {
                registry.apply(service);
                applied++;
            } catch (RuntimeException e) {
                log.warn("Service '{}' from {} refused: {}", service.serviceName(), source, e.getMessage());
            }
        }
        log.info("Adopted {} service(s) and {} certificate(s) from {}", applied, state.certificates().size(), source);
        return applied;
    }
}
