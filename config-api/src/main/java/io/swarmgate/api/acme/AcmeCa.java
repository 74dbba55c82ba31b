package io.swarmgate.api.acme;

import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.tls.ServerCertificate;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.shredzone.acme4j.util.KeyPairUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA as acme4j speaks to it: one session, over HTTPS trusting the JDK's authorities and {@code ACME_CA_FILE}'s,
 * and one account, whose key pair is created once and kept in {@code ACME_ACCOUNT_KEY}.
 */
final class AcmeCa {
    private static final Logger log = LoggerFactory.getLogger(AcmeCa.class);

    private final AcmeSettings settings;
    private Login login;

    AcmeCa(AcmeSettings settings) {
        BouncyCastle.register();
        this.settings = settings;
    }

    /** The account's login, registering it (or finding it by its key) on first use. */
    synchronized Login login(String contact) throws AcmeException {
        if (login == null) {
            Session session = new Session(settings.directory(), new TrustingProvider(trust(settings.caFile())));
            AccountBuilder account = new AccountBuilder().agreeToTermsOfService().useKeyPair(accountKey());
            String email = settings.email().isEmpty() ? contact : settings.email();
            if (!email.isEmpty()) {
                account.addEmail(email);
            }
            login = account.createLogin(session);
            log.info("ACME account {} at {}", login.getAccountLocation(), settings.directory());
        }
        return login;
    }

    private KeyPair accountKey() {
        Path file = settings.accountKey();
        if (file == null) {
            log.warn("ACME account key kept in memory only: set STATE_FILE or ACME_ACCOUNT_KEY to keep it");
            return KeyPairUtils.createKeyPair();
        }
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return KeyPairUtils.readKeyPair(reader);
            } catch (IOException e) {
                throw new IllegalStateException("ACME_ACCOUNT_KEY: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        KeyPair created = KeyPairUtils.createKeyPair();
        try {
            StringWriter pem = new StringWriter();
            KeyPairUtils.writeKeyPair(created, pem);
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path partial = Files.createTempFile(parent, ".acme-account", ".tmp");
            Files.writeString(partial, pem.toString(), StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            log.info("ACME account key created in {}", file);
        } catch (IOException e) {
            log.warn("ACME account key not kept ({}): a restart registers a new account", e.toString());
        }
        return created;
    }

    /** The JDK's trusted authorities plus those of {@code caFile}, or null for the JDK's alone. */
    private static SSLContext trust(Path caFile) {
        if (caFile == null) {
            return null;
        }
        try {
            List<X509Certificate> authorities = new ArrayList<>(ServerCertificate.parseAuthorities("ACME_CA_FILE",
                    Files.readString(caFile, StandardCharsets.UTF_8)));
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            for (TrustManager manager : defaults.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    authorities.addAll(List.of(x509.getAcceptedIssuers()));
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {CertificateStore.trusting(authorities)}, new SecureRandom());
            return context;
        } catch (IOException | GeneralSecurityException | InvalidCertificateException | IllegalStateException e) {
            throw new IllegalArgumentException("ACME_CA_FILE: cannot use " + caFile + ": " + e.getMessage(), e);
        }
    }

    /** acme4j's provider for any CA, its HTTP client trusting {@code ACME_CA_FILE} too. */
    private static final class TrustingProvider extends GenericAcmeProvider {
        private final SSLContext tls;

        TrustingProvider(SSLContext tls) {
            this.tls = tls;
        }

        @Override
        public HttpClient createHttpClient(NetworkSettings settings) {
            if (tls == null) {
                return super.createHttpClient(settings);
            }
            return HttpClient.newBuilder()
                    .connectTimeout(settings.getTimeout())
                    .proxy(settings.getProxySelector())
                    .sslContext(tls)
                    .build();
        }
    }
}
