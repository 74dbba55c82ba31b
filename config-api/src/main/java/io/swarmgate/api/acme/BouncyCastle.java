package io.swarmgate.api.acme;

import java.security.Security;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** acme4j makes keys and certificates with the provider named {@code BC}; added last, so the JDK's still come first. */
final class BouncyCastle {
    private BouncyCastle() {
    }

    static synchronized void register() {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }
}
