package io.swarmgate.proxy.tls;

import io.netty.handler.ssl.SslContext;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The self-signed certificate a store serves while it has no other, and its context, made once by whichever thread
 * asks first (a handshake, QUIC's certificate choice, or {@link CertificateStore#prepare} in the background); the
 * others wait for it. The stores derived from one another share it, so a new certificate never makes a second key
 * pair.
 */
final class SelfSignedContext {
    /** Makes the context; a failure is the TLS implementation's, not the certificate's. */
    interface Maker {
        SslContext make(ServerCertificate certificate) throws InvalidCertificateException;
    }

    private record Made(ServerCertificate certificate, SslContext context) {
    }

    private final Supplier<ServerCertificate> certificate;
    private final Maker maker;
    private volatile @Nullable Made made;

    SelfSignedContext(Supplier<ServerCertificate> certificate, Maker maker) {
        this.certificate = certificate;
        this.maker = maker;
    }

    ServerCertificate certificate() {
        return made().certificate();
    }

    SslContext context() {
        return made().context();
    }

    private Made made() {
        Made done = made;
        if (done != null) {
            return done;
        }
        synchronized (this) {
            Made current = made;
            if (current == null) {
                ServerCertificate selfSigned = certificate.get();
                try {
                    current = new Made(selfSigned, maker.make(selfSigned));
                } catch (InvalidCertificateException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                made = current;
            }
            return current;
        }
    }
}
