package io.swarmgate.proxy.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The certificates the TLS listeners serve, as an immutable snapshot: a new or replaced certificate is a new store,
 * published with one write, and used from the next handshake on; connections already open keep theirs.
 *
 * <p>A handshake gets the certificate whose name equals its SNI host, else one whose wildcard covers it (one label),
 * else the default: the first certificate in the {@link CertificatePreference} order (by name unless
 * {@code PREFERRED_CERTIFICATE} says otherwise), or a self-signed one when there is none; of two certificates for one
 * host, the earlier in that order is served. Every certificate is served with the same {@link TlsPolicy} (versions,
 * cipher suites, ALPN), with OpenSSL (BoringSSL, netty-tcnative) when it loads, the JDK's TLS otherwise.
 *
 * <p>Loading OpenSSL and making the self-signed certificate take a good part of a second at start: both happen on
 * first use (or {@link #prepare}), so a proxy without HTTPS listeners or certificates never pays for them.
 */
public final class CertificateStore {
    private static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            // Both implementations support these two: a client that offers neither protocol gets HTTP/1.1.
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    private final List<ServerCertificate> certificates;
    private final Map<String, ServerCertificate> exact;
    private final Map<String, ServerCertificate> wildcard;
    /** The preferred certificate; {@code null} without certificates, when the self-signed one serves. */
    private final @Nullable ServerCertificate fallback;
    private final SelfSignedContext selfSigned;
    private final Map<String, SslContext> byCertificate;
    /** {@code null}: OpenSSL when it loads, asked on first use. */
    private final @Nullable SslProvider provider;
    private final List<X509Certificate> clientAuthorities;
    private final X509TrustManager clientTrust;
    private final TlsPolicy policy;
    private final CertificatePreference preference;

    private CertificateStore(List<ServerCertificate> certificates, Map<String, SslContext> byCertificate,
                             SelfSignedContext selfSigned, @Nullable SslProvider provider,
                             List<X509Certificate> clientAuthorities,
                             TlsPolicy policy, CertificatePreference preference) {
        this.provider = provider;
        this.policy = policy;
        this.preference = preference;
        this.clientAuthorities = clientAuthorities;
        this.clientTrust = trustManagerOf(clientAuthorities);
        List<ServerCertificate> ordered = new ArrayList<>(certificates);
        ordered.sort(preference);
        this.certificates = List.copyOf(ordered);
        this.byCertificate = byCertificate;
        this.selfSigned = selfSigned;
        this.exact = new HashMap<>();
        this.wildcard = new HashMap<>();
        for (ServerCertificate certificate : this.certificates) {
            for (String name : certificate.names()) {
                if (name.startsWith("*.")) {
                    wildcard.putIfAbsent(name.substring(1), certificate);
                } else {
                    exact.putIfAbsent(name, certificate);
                }
            }
        }
        this.fallback = this.certificates.isEmpty() ? null : this.certificates.get(0);
    }

    /** A store of these certificates; a self-signed one for {@code localhost} serves when there are none. */
    public static CertificateStore of(List<ServerCertificate> certificates) throws InvalidCertificateException {
        return of(certificates, List.of());
    }

    /** As {@link #of(List)}, asking clients for certificates of these authorities (see below). */
    public static CertificateStore of(List<ServerCertificate> certificates, List<X509Certificate> clientAuthorities)
            throws InvalidCertificateException {
        return of(certificates, clientAuthorities, TlsPolicy.DEFAULT);
    }

    /** As {@link #of(List)}, with the given TLS implementation. */
    public static CertificateStore of(List<ServerCertificate> certificates, SslProvider provider)
            throws InvalidCertificateException {
        return of(certificates, provider, List.of());
    }

    /**
     * As {@link #of(List, SslProvider)}, asking clients for a certificate signed by one of {@code clientAuthorities}
     * ({@code CA_FILE}): a client that shows one that is not is refused at the handshake; one that shows none is
     * let through, for the routes that do not require it ({@code verifyClientSsl}).
     */
    public static CertificateStore of(List<ServerCertificate> certificates, SslProvider provider,
                                      List<X509Certificate> clientAuthorities) throws InvalidCertificateException {
        return of(certificates, provider, clientAuthorities, TlsPolicy.DEFAULT);
    }

    /** As {@link #of(List, List)}, negotiating as {@code policy} says. */
    public static CertificateStore of(List<ServerCertificate> certificates, List<X509Certificate> clientAuthorities,
                                      TlsPolicy policy) throws InvalidCertificateException {
        return create(certificates, null, clientAuthorities, policy);
    }

    /** As {@link #of(List, SslProvider, List)}, negotiating as {@code policy} says. */
    public static CertificateStore of(List<ServerCertificate> certificates, SslProvider provider,
                                      List<X509Certificate> clientAuthorities, TlsPolicy policy)
            throws InvalidCertificateException {
        return create(certificates, provider, clientAuthorities, policy);
    }

    private static CertificateStore create(List<ServerCertificate> certificates, @Nullable SslProvider provider,
                                           List<X509Certificate> clientAuthorities, TlsPolicy policy)
            throws InvalidCertificateException {
        List<X509Certificate> authorities = List.copyOf(clientAuthorities);
        SelfSignedContext selfSigned = new SelfSignedContext(
                () -> SelfSignedCertificate.create("self-signed", List.of("localhost")),
                certificate -> contextOf(certificate, provider, authorities, policy));
        CertificateStore store = new CertificateStore(List.of(), Map.of(), selfSigned, provider, authorities, policy,
                CertificatePreference.BY_NAME);
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
        Map<String, SslContext> contexts = new HashMap<>(byCertificate);
        contexts.put(certificate.name(), contextOf(certificate, provider, clientAuthorities, policy));
        return new CertificateStore(next, contexts, selfSigned, provider, clientAuthorities, policy, preference);
    }

    /** This store with its certificates in this order. */
    public CertificateStore preferring(CertificatePreference order) {
        return new CertificateStore(certificates, byCertificate, selfSigned, provider, clientAuthorities, policy,
                order);
    }

    /** This store without the certificate of that name. */
    public CertificateStore without(String name) {
        List<ServerCertificate> next = certificates.stream().filter(c -> !c.name().equals(name)).toList();
        Map<String, SslContext> contexts = new HashMap<>(byCertificate);
        contexts.remove(name);
        return new CertificateStore(next, contexts, selfSigned, provider, clientAuthorities, policy, preference);
    }

    /**
     * Whether a client's certificate chain leads to one of the client authorities. Checked on the request as well as
     * at the handshake, because an optional client certificate that fails verification does not fail every TLS
     * implementation's handshake.
     */
    public boolean verifiesClient(Certificate[] chain) {
        if (clientTrust == null || chain == null || chain.length == 0) {
            return false;
        }
        X509Certificate[] certificates = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            if (!(chain[i] instanceof X509Certificate certificate)) {
                return false;
            }
            certificates[i] = certificate;
        }
        try {
            clientTrust.checkClientTrusted(certificates, certificates[0].getPublicKey().getAlgorithm());
            return true;
        } catch (CertificateException e) {
            return false;
        }
    }

    /** The authorities whose client certificates handshakes ask for ({@code CA_FILE}); none: they ask for none. */
    public List<X509Certificate> clientAuthorities() {
        return clientAuthorities;
    }

    /** The TLS implementation serving the handshakes. */
    public SslProvider provider() {
        return provider(provider);
    }

    /**
     * Loads the TLS implementation and makes the self-signed certificate now, e.g. in the background while the plain
     * listeners already serve, so that the first handshake does not wait for them.
     */
    public void prepare() {
        if (fallback == null) {
            selfSigned.context();
        }
    }

    /** How handshakes negotiate: versions, cipher suites, ALPN. */
    public TlsPolicy policy() {
        return policy;
    }

    /** The certificates, the default first. */
    public List<ServerCertificate> certificates() {
        return certificates;
    }

    /** The context for a handshake that asked for {@code host} by SNI, or for none ({@code null}). */
    public SslContext select(@Nullable String host) {
        ServerCertificate certificate = chosen(host);
        return certificate == null ? selfSigned.context() : byCertificate.get(certificate.name());
    }

    /**
     * The certificate served to a handshake that asked for {@code host} by SNI, or for none ({@code null}), as
     * {@link #select} chooses it: for a TLS implementation the store builds no context for (QUIC's).
     */
    public ServerCertificate certificate(@Nullable String host) {
        ServerCertificate certificate = chosen(host);
        return certificate == null ? selfSigned.certificate() : certificate;
    }

    /** The certificate for {@code host}, or {@code null} when the self-signed one serves. */
    private @Nullable ServerCertificate chosen(@Nullable String host) {
        if (host != null) {
            String name = host.toLowerCase(Locale.ROOT);
            ServerCertificate certificate = exact.get(name);
            if (certificate != null) {
                return certificate;
            }
            int dot = name.indexOf('.');
            if (dot > 0) {
                certificate = wildcard.get(name.substring(dot));
                if (certificate != null) {
                    return certificate;
                }
            }
        }
        return fallback;
    }

    /** The JDK's PKIX trust manager over the client authorities; {@code null} without any. */
    private static X509TrustManager trustManagerOf(List<X509Certificate> authorities) {
        return authorities.isEmpty() ? null : trusting(authorities);
    }

    /**
     * The JDK's PKIX trust manager that trusts these authorities alone, e.g. client authorities or a private CA.
     *
     * @throws IllegalStateException when the JDK cannot build it
     */
    public static X509TrustManager trusting(List<X509Certificate> authorities) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("authority-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("no X.509 trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot use the authorities: " + e.getMessage(), e);
        }
    }

    private static SslProvider provider(@Nullable SslProvider chosen) {
        return chosen != null ? chosen : PreferredProvider.PROVIDER;
    }

    private static SslContext contextOf(ServerCertificate certificate, @Nullable SslProvider provider,
                                        List<X509Certificate> clientAuthorities, TlsPolicy policy)
            throws InvalidCertificateException {
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(certificate.key(), certificate.chain())
                    .sslProvider(provider(provider))
                    .protocols(policy.protocols())
                    // Suites an implementation lacks (DHE with BoringSSL) are left out rather than failing.
                    .ciphers(policy.cipherSuites(), SupportedCipherSuiteFilter.INSTANCE);
            if (policy.http2()) {
                builder.applicationProtocolConfig(ALPN);
            }
            if (!clientAuthorities.isEmpty()) {
                builder.trustManager(clientAuthorities.toArray(X509Certificate[]::new)).clientAuth(ClientAuth.OPTIONAL);
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidCertificateException(certificate.name() + ": cannot serve it (" + e.getMessage() + ")",
                    e);
        }
    }

    /** OpenSSL when netty-tcnative loads, else the JDK's TLS; settled when first asked (the holder's start). */
    private static final class PreferredProvider {
        static final SslProvider PROVIDER = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }
}
