package io.swarmgate.proxy.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * A certificate the proxy serves: a private key and its chain, as Docker Flow Proxy keeps them (one PEM file with the
 * key and the certificates), and the host names it is valid for (its DNS subject alternative names, or its common
 * name without any).
 *
 * @param name  what the user calls it: the file or {@code certName}
 * @param key   the private key
 * @param chain the leaf certificate first, then its intermediates
 * @param names lower-case host names, wildcards as {@code *.example.com}
 */
public record ServerCertificate(String name, PrivateKey key, List<X509Certificate> chain, List<String> names) {
    public ServerCertificate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        names = List.copyOf(names);
    }

    /**
     * Reads a PEM bundle and checks that it can be served: a key, at least one certificate, the key belonging to the
     * first certificate, and that certificate within its validity period.
     */
    public static ServerCertificate parse(String name, String pem) throws InvalidCertificateException {
        PemContents contents = read(name, pem, "bundle");
        List<X509Certificate> chain = contents.certificates();
        PrivateKey key = null;
        if (contents.key() != null) {
            try {
                key = new JcaPEMKeyConverter().getPrivateKey(contents.key());
            } catch (IOException | RuntimeException e) {
                throw new InvalidCertificateException(name + ": not a readable PEM bundle (" + e.getMessage() + ")", e);
            }
        }
        if (key == null) {
            throw new InvalidCertificateException(name + ": no private key (expected the key and its certificates "
                    + "in one PEM file)");
        }
        if (chain.isEmpty()) {
            throw new InvalidCertificateException(name + ": no certificate");
        }
        X509Certificate leaf = chain.get(0);
        if (!belongsTo(key, leaf.getPublicKey())) {
            throw new InvalidCertificateException(name + ": the private key does not match the first certificate");
        }
        Instant now = Instant.now();
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new InvalidCertificateException(name + ": expired on " + leaf.getNotAfter().toInstant());
        }
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new InvalidCertificateException(name + ": not valid before " + leaf.getNotBefore().toInstant());
        }
        return new ServerCertificate(name, key, chain, namesOf(leaf));
    }

    /** The certificates of a PEM file of authorities ({@code CA_FILE}). */
    public static List<X509Certificate> parseAuthorities(String name, String pem) throws InvalidCertificateException {
        List<X509Certificate> authorities = read(name, pem, "file").certificates();
        if (authorities.isEmpty()) {
            throw new InvalidCertificateException(name + ": no certificate");
        }
        return authorities;
    }

    /** What a PEM text holds: its certificates in order, and its (last) private key, not converted yet. */
    private record PemContents(List<X509Certificate> certificates, PrivateKeyInfo key) {
    }

    private static PemContents read(String name, String pem, String kind) throws InvalidCertificateException {
        List<X509Certificate> certificates = new ArrayList<>();
        PrivateKeyInfo key = null;
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object item;
            while ((item = parser.readObject()) != null) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                } else if (item instanceof PEMKeyPair pair) {
                    key = pair.getPrivateKeyInfo();
                } else if (item instanceof PrivateKeyInfo info) {
                    key = info;
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new InvalidCertificateException(name + ": not a readable PEM " + kind + " (" + e.getMessage() + ")",
                    e);
        }
        return new PemContents(certificates, key);
    }

    /** The certificates in PEM, without the key: what may be shown. */
    public String chainPem() {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : chain) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** When the first certificate stops being valid. */
    public Instant notAfter() {
        return chain.get(0).getNotAfter().toInstant();
    }

    /** Signs with the key and verifies with the certificate's public key: true only for a matching pair. */
    private static boolean belongsTo(PrivateKey key, PublicKey certificateKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(certificateKey.getAlgorithm())
                && !(key.getAlgorithm().startsWith("EC") && certificateKey.getAlgorithm().startsWith("EC"))) {
            return false;
        }
        try {
            byte[] probe = "swarmgate".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static List<String> namesOf(X509Certificate leaf) throws InvalidCertificateException {
        List<String> names = new ArrayList<>();
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> entry : leaf.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(entry.get(0))) { // dNSName
                        names.add(entry.get(1).toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
            if (names.isEmpty()) {
                for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException | javax.naming.InvalidNameException e) {
            throw new InvalidCertificateException("unreadable subject names: " + e.getMessage(), e);
        }
        return names;
    }
}
