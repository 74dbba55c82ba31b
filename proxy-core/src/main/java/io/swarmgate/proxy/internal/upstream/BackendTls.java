package io.swarmgate.proxy.internal.upstream;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.swarmgate.proxy.upstream.BackendProtocol;
import javax.net.ssl.SSLException;

/**
 * The client side of TLS to backends: one context that checks the backend's certificate (the JVM's trusted
 * authorities, the backend's host name) and one that does not ({@code sslVerifyNone}), each made on first use so a
 * proxy without TLS backends never builds them.
 *
 * <p>Internal: public for {@code context} only.
 */
public final class BackendTls {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private volatile SslContext verified;
    private volatile SslContext unverified;

    SslContext context(BackendProtocol protocol) {
        if (protocol == BackendProtocol.HTTPS_UNVERIFIED) {
            SslContext context = unverified;
            if (context == null) {
                context = build(false);
                unverified = context; // two threads may both build one: either serves
            }
            return context;
        }
        SslContext context = verified;
        if (context == null) {
            context = build(true);
            verified = context;
        }
        return context;
    }

    private static SslContext build(boolean verify) {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                .protocols(PROTOCOLS);
        if (verify) {
            builder.endpointIdentificationAlgorithm("HTTPS");
        } else {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        }
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot make a TLS client context: " + e.getMessage(), e);
        }
    }
}
