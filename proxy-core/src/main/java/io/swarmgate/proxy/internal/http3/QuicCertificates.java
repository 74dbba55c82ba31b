package io.swarmgate.proxy.internal.http3;

import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.util.Mapping;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QUIC handshake's certificate, chosen by SNI from the same store as the TCP listeners' ({@link
 * CertificateStore#certificate}) at each handshake, so a certificate published at run time serves QUIC from the next
 * handshake on too. QUIC takes a BoringSSL context of its own per certificate: each is built at its first handshake
 * and kept while the store holds its certificate. QUIC is TLS 1.3 only, with ALPN {@code h3}; 0-RTT stays off, since
 * early data can be replayed.
 */
public final class QuicCertificates implements Mapping<String, QuicSslContext> {
    private static final Logger log = LoggerFactory.getLogger(QuicCertificates.class);

    private final Supplier<CertificateStore> store;
    private final Map<ServerCertificate, QuicSslContext> contexts = new ConcurrentHashMap<>();
    /** The store whose certificates {@link #contexts} was last pruned to. */
    private volatile @Nullable CertificateStore pruned;

    public QuicCertificates(Supplier<CertificateStore> store) {
        this.store = store;
    }

    /** The server's context: it only points each handshake at the certificate its SNI names. */
    public QuicSslContext serverContext() {
        return QuicSslContextBuilder.buildForServerWithSni(this);
    }

    @Override
    public @Nullable QuicSslContext map(@Nullable String host) {
        CertificateStore current = store.get();
        if (current != pruned) {
            prune(current);
        }
        ServerCertificate certificate = current.certificate(host);
        try {
            return contexts.computeIfAbsent(certificate, QuicCertificates::contextOf);
        } catch (RuntimeException e) {
            log.warn("Certificate {} cannot serve QUIC: {}", certificate.name(), e.toString());
            return null; // the handshake fails; TCP's TLS still serves the certificate
        }
    }

    /** Forgets the contexts of certificates the store no longer holds (replaced or removed). */
    private void prune(CertificateStore current) {
        pruned = current;
        Set<ServerCertificate> kept = new HashSet<>(current.certificates());
        kept.add(current.certificate(null)); // the self-signed one, when the store has none
        contexts.keySet().removeIf(certificate -> !kept.contains(certificate));
    }

    private static QuicSslContext contextOf(ServerCertificate certificate) {
        return QuicSslContextBuilder.forServer(certificate.key(), null,
                        certificate.chain().toArray(X509Certificate[]::new))
                .applicationProtocols(Http3.supportedApplicationProtocols())
                .earlyData(false)
                .build();
    }
}
