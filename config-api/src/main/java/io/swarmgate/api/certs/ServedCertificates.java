package io.swarmgate.api.certs;

import io.swarmgate.proxy.ProxyServer;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates the proxy serves, changed at run time by {@code PUT cert} and by services' {@code serviceCert}: each
 * is served from the next handshake on and kept in the certificates directory, as Docker Flow Proxy keeps it.
 */
public final class ServedCertificates {
    private static final Logger log = LoggerFactory.getLogger(ServedCertificates.class);

    private final ProxyServer proxy;
    private final TlsSettings settings;
    private final Map<String, String> putAtRunTime = new ConcurrentHashMap<>();
    private volatile Runnable changeListener = () -> {
    };

    public ServedCertificates(ProxyServer proxy, TlsSettings settings) {
        this.proxy = proxy;
        this.settings = settings;
    }

    /**
     * Adds {@code certificate}, or replaces the one of its name.
     *
     * @param pem its bundle as given, saved under its name
     * @throws InvalidCertificateException when the TLS implementation cannot serve it, or its name is not a file name;
     *                                     nothing changes then
     */
    public void serve(ServerCertificate certificate, String pem) throws InvalidCertificateException {
        if (!CertificateFiles.isFileName(certificate.name())) {
            throw new InvalidCertificateException("certName: '" + certificate.name() + "' (expected: a file name)");
        }
        synchronized (this) { // one store replaces the other: two changes at once must not lose either
            proxy.certificates(proxy.certificates().with(certificate));
        }
        putAtRunTime.put(certificate.name(), pem);
        CertificateFiles.save(settings, certificate.name(), pem);
        changeListener.run();
        log.info("Serving certificate {} for {}", certificate.name(), certificate.names());
    }

    /** Runs {@code listener} after each certificate put at run time, e.g. to save the state; replaces the last one. */
    public void onChange(Runnable listener) {
        changeListener = Objects.requireNonNull(listener, "listener");
    }

    /** The served certificates, the default first. */
    public List<ServerCertificate> list() {
        return proxy.certificates().certificates();
    }

    /** Where the served certificate of that name came from. */
    public CertificateSource source(String name) {
        return putAtRunTime.containsKey(name) || name.startsWith(CertificateSource.ACME_PREFIX)
                ? CertificateSource.ofRunTime(name) : CertificateSource.FILE;
    }

    /** The bundles (keys included) of the certificates put at run time, by name: what a new replica copies. */
    public Map<String, String> putAtRunTime() {
        return Map.copyOf(putAtRunTime);
    }

    public TlsSettings settings() {
        return settings;
    }
}
