package io.swarmgate.testing;

import io.swarmgate.proxy.tls.SelfSignedCertificate;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** PEM bundles (key and certificate in one text, as Docker Flow Proxy keeps them) for TLS tests. */
public final class TestCertificates {
    private TestCertificates() {
    }

    /** A valid bundle for these host names. */
    public static String pem(String... hosts) {
        ServerCertificate certificate = SelfSignedCertificate.create("test", List.of(hosts));
        return pem(certificate.key(), certificate.chain().get(0));
    }

    /** A bundle whose certificate expired yesterday. */
    public static String expired(String host) {
        KeyPair pair = ecKeyPair();
        Instant now = Instant.now();
        return pem(pair.getPrivate(), sign(new X500Name("CN=" + host), pair, null, false,
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))));
    }

    /** A certificate authority's key and certificate, to sign client certificates with. */
    public record Authority(PrivateKey key, X509Certificate certificate) {
        /** A client certificate for {@code name}, signed by this authority, and its key. */
        public Authority issue(String name) {
            KeyPair pair = ecKeyPair();
            return new Authority(pair.getPrivate(), sign(new X500Name("CN=" + name), pair, this, false,
                    Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30))));
        }
    }

    /** A self-signed certificate authority. */
    public static Authority authority(String name) {
        KeyPair pair = ecKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        return new Authority(pair.getPrivate(), sign(subject, pair, null, true,
                Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30))));
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs a certificate for {@code subject}'s key: by {@code issuer}, or by itself when {@code null}. */
    private static X509Certificate sign(X500Name subject, KeyPair pair, Authority issuer, boolean authority,
                                        Instant notBefore, Instant notAfter) {
        try {
            X500Name issuerName = issuer == null ? subject
                    : new X500Name(issuer.certificate().getSubjectX500Principal().getName());
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
                    BigInteger.valueOf(System.nanoTime() & Long.MAX_VALUE), Date.from(notBefore), Date.from(notAfter),
                    subject, pair.getPublic());
            builder.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                    new org.bouncycastle.asn1.x509.BasicConstraints(authority));
            PrivateKey signer = issuer == null ? pair.getPrivate() : issuer.key();
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                 | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key of one bundle with the certificate of another. */
    public static String mismatched(String host) {
        ServerCertificate one = SelfSignedCertificate.create("one", List.of(host));
        ServerCertificate other = SelfSignedCertificate.create("other", List.of(host));
        return pem(one.key(), other.chain().get(0));
    }

    private static String pem(PrivateKey key, X509Certificate certificate) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(key, null)); // "PRIVATE KEY", as openssl genpkey writes it
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }
}
