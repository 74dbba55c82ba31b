package io.swarmgate.proxy.internal.http3;

import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicSslEngine;
import io.netty.handler.ssl.ClientAuth;
import io.netty.util.Mapping;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QUIC handshake's certificate, chosen by SNI from the same store as the TCP listeners' ({@link
 * CertificateStore#certificate}) at each handshake, so a certificate published at run time serves QUIC from the next
 * handshake on too. QUIC takes a BoringSSL context of its own per certificate: each is built at its first handshake
 * and kept while the store holds its certificate. QUIC is TLS 1.3 only, with ALPN {@code h3}; 0-RTT stays off, since
 * early data can be replayed.
 *
 * <p>With client authorities ({@code CA_FILE}) the handshake asks for a client certificate, optionally, as TCP's
 * does: one that does not lead to an authority fails the handshake, and the request's policies see whether one that
 * does was shown ({@code verifyClientSsl}). BoringSSL decides whether to ask with the context a connection starts
 * with, the one that selects by SNI, and verifies with the context SNI selected: both are given the authorities.
 */
public final class QuicCertificates implements Mapping<String, QuicSslContext> {
    private static final Logger log = LoggerFactory.getLogger(QuicCertificates.class);

    private final Supplier<CertificateStore> store;
    /** The contexts for the store's client authorities, built anew when those change. */
    private volatile @Nullable Contexts contexts;
    /** The store whose certificates the contexts were last pruned to. */
    private volatile @Nullable CertificateStore pruned;

    public QuicCertificates(Supplier<CertificateStore> store) {
        this.store = store;
    }

    /** A new connection's TLS: it only points the handshake at the certificate its SNI names ({@link #map}). */
    public QuicSslEngine newEngine(QuicChannel connection) {
        return contexts(store.get()).selector.newEngine(connection.alloc());
    }

    @Override
    public @Nullable QuicSslContext map(@Nullable String host) {
        CertificateStore current = store.get();
        Contexts served = contexts(current);
        if (current != pruned) {
            prune(served, current);
        }
        ServerCertificate certificate = current.certificate(host);
        try {
            return served.byCertificate.computeIfAbsent(certificate, served::contextOf);
        } catch (RuntimeException e) {
            log.warn("Certificate {} cannot serve QUIC: {}", certificate.name(), e.toString());
            return null; // the handshake fails; TCP's TLS still serves the certificate
        }
    }

    private Contexts contexts(CertificateStore current) {
        Contexts served = contexts;
        if (served == null || !served.authorities.equals(current.clientAuthorities())) {
            served = new Contexts(current.clientAuthorities(), this);
            contexts = served;
        }
        return served;
    }

    /** Forgets the contexts of certificates the store no longer holds (replaced or removed). */
    private void prune(Contexts served, CertificateStore current) {
        pruned = current;
        Set<ServerCertificate> kept = new HashSet<>(current.certificates());
        kept.add(current.certificate(null)); // the self-signed one, when the store has none
        served.byCertificate.keySet().removeIf(certificate -> !kept.contains(certificate));
    }

    /** The selecting context and each certificate's, asking clients for certificates of {@code authorities}. */
    private static final class Contexts {
        final List<X509Certificate> authorities;
        final QuicSslContext selector;
        final Map<ServerCertificate, QuicSslContext> byCertificate = new ConcurrentHashMap<>();

        Contexts(List<X509Certificate> authorities, Mapping<String, QuicSslContext> bySni) {
            this.authorities = authorities;
            this.selector = authorities.isEmpty() ? QuicSslContextBuilder.buildForServerWithSni(bySni)
                    : askingClients(QuicSslContextBuilder.forServer(noKeys(), null).sni(bySni)).build();
        }

        QuicSslContext contextOf(ServerCertificate certificate) {
            return askingClients(QuicSslContextBuilder.forServer(certificate.key(), null,
                            certificate.chain().toArray(X509Certificate[]::new))
                    .applicationProtocols(Http3.supportedApplicationProtocols())
                    .earlyData(false))
                    .build();
        }

        private QuicSslContextBuilder askingClients(QuicSslContextBuilder builder) {
            return authorities.isEmpty() ? builder
                    : builder.trustManager(authorities.toArray(X509Certificate[]::new)).clientAuth(ClientAuth.OPTIONAL);
        }

        /** The selecting context's keys: none, since the context SNI selects serves the certificate. */
        private static KeyManagerFactory noKeys() {
            try {
                KeyStore empty = KeyStore.getInstance(KeyStore.getDefaultType());
                empty.load(null, null);
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(empty, new char[0]);
                return keys;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("no key manager: " + e.getMessage(), e);
            }
        }
    }
}
