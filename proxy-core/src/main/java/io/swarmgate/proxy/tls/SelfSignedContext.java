package io.swarmgate.proxy.tls;

import io.netty.handler.ssl.SslContext;

/**
 * The context of the self-signed certificate a store serves while it has no other, made once by whichever thread asks
 * first (a handshake, or {@link CertificateStore#prepare} in the background); the others wait for it. The stores
 * derived from one another share it, so a new certificate never makes a second key pair.
 */
final class SelfSignedContext {
    /** Makes the context; a failure is the TLS implementation's, not the certificate's. */
    interface Maker {
        SslContext make() throws InvalidCertificateException;
    }

    private final Maker maker;
    private volatile SslContext context;

    SelfSignedContext(Maker maker) {
        this.maker = maker;
    }

    SslContext get() {
        SslContext made = context;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (context == null) {
                try {
                    context = maker.make();
                } catch (InvalidCertificateException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
            return context;
        }
    }
}
