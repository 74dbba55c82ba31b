package io.swarmgate.proxy.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * The certificates the TLS listeners serve, as an immutable snapshot: a new or replaced certificate is a new store,
 * published with one write, and used from the next handshake on; connections already open keep theirs.
 *
 * <p>A handshake gets the certificate whose name equals its SNI host, else one whose wildcard covers it (one label),
 * else the default: the first certificate by name, or a self-signed one when there is none. Only TLS 1.2 and 1.3,
 * with OpenSSL (BoringSSL, netty-tcnative) when it loads, the JDK's TLS otherwise.
 */
public final class CertificateStore {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final List<ServerCertificate> certificates;
    private final Map<String, SslContext> exact;
    private final Map<String, SslContext> wildcard;
    private final SslContext fallback;
    private final SslContext selfSigned;
    private final Map<String, SslContext> byCertificate;
    private final SslProvider provider;

    private CertificateStore(List<ServerCertificate> certificates, Map<String, SslContext> byCertificate,
                             SslContext selfSigned, SslProvider provider) {
        this.provider = provider;
        this.certificates = List.copyOf(certificates);
        this.byCertificate = byCertificate;
        this.selfSigned = selfSigned;
        this.exact = new HashMap<>();
        this.wildcard = new HashMap<>();
        for (ServerCertificate certificate : this.certificates) {
            SslContext context = byCertificate.get(certificate.name());
            for (String name : certificate.names()) {
                if (name.startsWith("*.")) {
                    wildcard.putIfAbsent(name.substring(1), context);
                } else {
                    exact.putIfAbsent(name, context);
                }
            }
        }
        this.fallback = this.certificates.isEmpty() ? selfSigned : byCertificate.get(this.certificates.get(0).name());
    }

    /** A store of these certificates; a self-signed one for {@code localhost} serves when there are none. */
    public static CertificateStore of(List<ServerCertificate> certificates) throws InvalidCertificateException {
        return of(certificates, OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
    }

    /** As {@link #of(List)}, with the given TLS implementation. */
    public static CertificateStore of(List<ServerCertificate> certificates, SslProvider provider)
            throws InvalidCertificateException {
        CertificateStore store = new CertificateStore(List.of(), Map.of(), contextOf(
                SelfSignedCertificate.create("self-signed", List.of("localhost")), provider), provider);
        for (ServerCertificate certificate : certificates) {
            store = store.with(certificate);
        }
        return store;
    }

    /** This store with {@code certificate} added, or replacing the one of the same name. */
    public CertificateStore with(ServerCertificate certificate) throws InvalidCertificateException {
        List<ServerCertificate> next = new ArrayList<>();
        for (ServerCertificate existing : certificates) {
            if (!existing.name().equals(certificate.name())) {
                next.add(existing);
            }
        }
        next.add(certificate);
        next.sort(Comparator.comparing(ServerCertificate::name));
        Map<String, SslContext> contexts = new HashMap<>(byCertificate);
        contexts.put(certificate.name(), contextOf(certificate, provider));
        return new CertificateStore(next, contexts, selfSigned, provider);
    }

    /** This store without the certificate of that name. */
    public CertificateStore without(String name) {
        List<ServerCertificate> next = certificates.stream().filter(c -> !c.name().equals(name)).toList();
        Map<String, SslContext> contexts = new HashMap<>(byCertificate);
        contexts.remove(name);
        return new CertificateStore(next, contexts, selfSigned, provider);
    }

    /** The TLS implementation serving the handshakes. */
    public SslProvider provider() {
        return provider;
    }

    public List<ServerCertificate> certificates() {
        return certificates;
    }

    /** The context for a handshake that asked for {@code host} by SNI, or for none ({@code null}). */
    public SslContext select(String host) {
        if (host != null) {
            String name = host.toLowerCase(Locale.ROOT);
            SslContext context = exact.get(name);
            if (context != null) {
                return context;
            }
            int dot = name.indexOf('.');
            if (dot > 0) {
                context = wildcard.get(name.substring(dot));
                if (context != null) {
                    return context;
                }
            }
        }
        return fallback;
    }

    private static SslContext contextOf(ServerCertificate certificate, SslProvider provider)
            throws InvalidCertificateException {
        try {
            return SslContextBuilder.forServer(certificate.key(), certificate.chain())
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidCertificateException(certificate.name() + ": cannot serve it (" + e.getMessage() + ")",
                    e);
        }
    }
}
