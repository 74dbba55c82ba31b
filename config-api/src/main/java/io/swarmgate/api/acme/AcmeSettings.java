package io.swarmgate.api.acme;

import io.swarmgate.config.GoBooleans;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Automatic HTTPS settings, named as Docker Flow Proxy's settings are.
 *
 * @param enabled    whether services' {@code letsencrypt.host} names are ordered ({@code ACME_ENABLED})
 * @param directory  the CA's ACME directory ({@code ACME_DIRECTORY}, default Let's Encrypt's production one)
 * @param email      the account's contact ({@code ACME_EMAIL}); empty for the ordering service's
 *                   {@code letsencrypt.email}, or none
 * @param caFile     PEM certificates trusted, besides the JDK's, for the CA's own HTTPS ({@code ACME_CA_FILE}), e.g.
 *                   a private or test CA; null for none
 * @param accountKey where the account's key pair is kept once created ({@code ACME_ACCOUNT_KEY}, default
 *                   {@code acme-account.pem} beside {@code STATE_FILE}); null to keep it in memory only
 * @param challenge  the validation asked for when the CA offers it ({@code ACME_CHALLENGE}), the other one else
 * @param retryInterval how long after a failed order the first retry comes, doubling with each failure up to 512
 *                   times it ({@code ACME_RETRY_INTERVAL}, milliseconds, default a minute); also how often a replica
 *                   looks again while another one orders
 */
public record AcmeSettings(boolean enabled, URI directory, String email, Path caFile, Path accountKey,
                           ChallengeType challenge, Duration retryInterval) {
    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMinutes(1);
    public static final AcmeSettings OFF = new AcmeSettings(false, LETS_ENCRYPT, "", null, null, ChallengeType.HTTP_01,
            DEFAULT_RETRY_INTERVAL);

    /** @throws IllegalArgumentException naming the setting that is invalid */
    public static AcmeSettings fromEnvironment(Map<String, String> environment) {
        String enabled = environment.getOrDefault("ACME_ENABLED", "");
        Boolean on = enabled.isEmpty() ? Boolean.FALSE : GoBooleans.parse(enabled);
        if (on == null) {
            throw new IllegalArgumentException("ACME_ENABLED: '" + enabled + "' (expected: true or false)");
        }
        URI directory = directory(environment.getOrDefault("ACME_DIRECTORY", ""));
        String caFile = environment.getOrDefault("ACME_CA_FILE", "");
        String key = environment.getOrDefault("ACME_ACCOUNT_KEY", "");
        String stateFile = environment.getOrDefault("STATE_FILE", "");
        Path accountKey = !key.isEmpty() ? Path.of(key)
                : stateFile.isEmpty() ? null : Path.of(stateFile).toAbsolutePath().resolveSibling("acme-account.pem");
        return new AcmeSettings(on, directory, environment.getOrDefault("ACME_EMAIL", ""),
                caFile.isEmpty() ? null : Path.of(caFile), accountKey,
                ChallengeType.of(environment.getOrDefault("ACME_CHALLENGE", ChallengeType.HTTP_01.id())),
                retryInterval(environment.getOrDefault("ACME_RETRY_INTERVAL", "")));
    }

    private static Duration retryInterval(String raw) {
        if (raw.isEmpty()) {
            return DEFAULT_RETRY_INTERVAL;
        }
        if (raw.length() > 9 || !raw.chars().allMatch(Character::isDigit) || Long.parseLong(raw) < 100) {
            throw new IllegalArgumentException("ACME_RETRY_INTERVAL: '" + raw + "' (expected: milliseconds, 100 or "
                    + "more)");
        }
        return Duration.ofMillis(Long.parseLong(raw));
    }

    private static URI directory(String raw) {
        if (raw.isEmpty()) {
            return LETS_ENCRYPT;
        }
        try {
            URI uri = URI.create(raw);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // Reported below, as any other value that is not a URL.
        }
        throw new IllegalArgumentException("ACME_DIRECTORY: '" + raw + "' (expected: the CA's directory URL, e.g. "
                + LETS_ENCRYPT + ")");
    }
}
