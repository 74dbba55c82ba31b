package io.swarmgate.api.acme;

import io.swarmgate.proxy.acme.AcmeChallenges;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.util.CertificateUtils;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * Puts challenge answers before this replica's data plane and takes them away: an HTTP-01 token as it is, a
 * TLS-ALPN-01 one as the self-signed certificate RFC 8737 asks for, made here with acme4j.
 */
public final class ChallengeBoard {
    private final AcmeChallenges challenges;
    /** One key for every validation certificate: they are public, throw-away and never trusted by anyone. */
    private KeyPair validationKey;

    public ChallengeBoard(AcmeChallenges challenges) {
        this.challenges = challenges;
    }

    public void answer(ChallengeAnswer answer) throws InvalidCertificateException {
        switch (answer.type()) {
            case HTTP_01 -> challenges.http01(answer.token(), answer.keyAuthorization());
            case TLS_ALPN_01 -> challenges.tlsAlpn01(answer.host(), validationCertificate(answer),
                    validationKey().getPrivate());
        }
    }

    /** Made on first use: a proxy that never answers TLS-ALPN-01 pays nothing for it. */
    private synchronized KeyPair validationKey() {
        if (validationKey == null) {
            BouncyCastle.register();
            validationKey = KeyPairUtils.createKeyPair(2048); // RSA: acme4j signs these SHA256withRSA
        }
        return validationKey;
    }

    public void withdraw(ChallengeAnswer answer) {
        switch (answer.type()) {
            case HTTP_01 -> challenges.removeHttp01(answer.token());
            case TLS_ALPN_01 -> challenges.removeTlsAlpn01(answer.host());
        }
    }

    private X509Certificate validationCertificate(ChallengeAnswer answer) throws InvalidCertificateException {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(answer.keyAuthorization().getBytes(StandardCharsets.UTF_8));
            return CertificateUtils.createTlsAlpn01Certificate(validationKey(), Identifier.dns(answer.host()),
                    digest);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidCertificateException(answer.host() + ": cannot make its TLS-ALPN-01 certificate ("
                    + e.getMessage() + ")", e);
        }
    }
}
