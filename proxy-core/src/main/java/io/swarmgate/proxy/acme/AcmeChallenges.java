package io.swarmgate.proxy.acme;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.swarmgate.proxy.policy.LocalResponse;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * The ACME challenges the data plane answers for a CA, as immutable snapshots each published with one write: HTTP-01
 * key authorizations by token, served on the plain listeners at {@value #HTTP01_PATH}{@code <token>} before any
 * route, and TLS-ALPN-01 certificates by host (RFC 8737), served to a handshake that offers {@value #ACME_TLS_1} alone.
 * A request or handshake reads one field; while no challenge is pending that is all it costs.
 */
public final class AcmeChallenges {
    /** Where a CA fetches an HTTP-01 key authorization (RFC 8555, 8.3). */
    public static final String HTTP01_PATH = "/.well-known/acme-challenge/";
    /** The ALPN protocol of a TLS-ALPN-01 validation. */
    public static final String ACME_TLS_1 = "acme-tls/1";

    private static final ApplicationProtocolConfig ACME_ALPN = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN, ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ACME_TLS_1);

    private volatile Map<String, LocalResponse> http01 = Map.of();
    private volatile Map<String, SslContext> tlsAlpn01 = Map.of();

    /** Answers {@code token}'s HTTP-01 validation with {@code keyAuthorization} until {@link #removeHttp01}. */
    public synchronized void http01(String token, String keyAuthorization) {
        Map<String, LocalResponse> next = new HashMap<>(http01);
        next.put(token, LocalResponse.page(200, "application/octet-stream", keyAuthorization));
        http01 = Map.copyOf(next);
    }

    public synchronized void removeHttp01(String token) {
        Map<String, LocalResponse> next = new HashMap<>(http01);
        next.remove(token);
        http01 = Map.copyOf(next);
    }

    /**
     * Serves {@code certificate}, made for {@code host}'s TLS-ALPN-01 validation, to handshakes for that host that
     * offer {@value #ACME_TLS_1} alone, until {@link #removeTlsAlpn01}; every other handshake is unaffected.
     */
    public synchronized void tlsAlpn01(String host, X509Certificate certificate, PrivateKey key)
            throws InvalidCertificateException {
        SslContext context;
        try {
            context = SslContextBuilder.forServer(key, certificate)
                    .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                    .applicationProtocolConfig(ACME_ALPN)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new InvalidCertificateException(host + ": cannot serve its TLS-ALPN-01 certificate ("
                    + e.getMessage() + ")", e);
        }
        Map<String, SslContext> next = new HashMap<>(tlsAlpn01);
        next.put(host.toLowerCase(Locale.ROOT), context);
        tlsAlpn01 = Map.copyOf(next);
    }

    public synchronized void removeTlsAlpn01(String host) {
        Map<String, SslContext> next = new HashMap<>(tlsAlpn01);
        next.remove(host.toLowerCase(Locale.ROOT));
        tlsAlpn01 = Map.copyOf(next);
    }

    /** The answer to a plain request for {@code path} when it fetches a pending HTTP-01 token, else {@code null}. */
    public LocalResponse http01Answer(String path) {
        Map<String, LocalResponse> answers = http01;
        if (answers.isEmpty() || !path.startsWith(HTTP01_PATH)) {
            return null;
        }
        return answers.get(path.substring(HTTP01_PATH.length()));
    }

    /** Whether a TLS-ALPN-01 validation is pending: only then does a handshake look at its ALPN offer. */
    public boolean awaitsTlsAlpn01() {
        return !tlsAlpn01.isEmpty();
    }

    /** The challenge context for a validation handshake naming {@code host}, or {@code null}. */
    public SslContext tlsAlpn01Context(String host) {
        return host == null ? null : tlsAlpn01.get(host.toLowerCase(Locale.ROOT));
    }
}
