package io.swarmgate.api.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The ACME_* settings: defaults, and a refusal naming the setting for a bad value. */
class AcmeSettingsTest {
    @Test
    void isOffByDefaultAndOrdersFromLetsEncryptOverHttp01() {
        AcmeSettings settings = AcmeSettings.fromEnvironment(Map.of());

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.directory()).isEqualTo(URI.create("https://acme-v02.api.letsencrypt.org/directory"));
        assertThat(settings.challenge()).isEqualTo(ChallengeType.HTTP_01);
        assertThat(settings.retryInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.accountKey()).isNull();
        assertThat(settings.caFile()).isNull();
    }

    @Test
    void keepsTheAccountKeyBesideTheStateFileUnlessToldWhere() {
        assertThat(AcmeSettings.fromEnvironment(Map.of("STATE_FILE", "/data/state.json")).accountKey())
                .isEqualTo(Path.of("/data/acme-account.pem"));
        assertThat(AcmeSettings.fromEnvironment(Map.of("STATE_FILE", "/data/state.json",
                "ACME_ACCOUNT_KEY", "/run/secrets/acme")).accountKey()).isEqualTo(Path.of("/run/secrets/acme"));
    }

    @Test
    void readsEverySetting() {
        AcmeSettings settings = AcmeSettings.fromEnvironment(Map.of("ACME_ENABLED", "1",
                "ACME_DIRECTORY", "https://acme-staging-v02.api.letsencrypt.org/directory",
                "ACME_EMAIL", "ops@example.com", "ACME_CA_FILE", "/ca.pem", "ACME_CHALLENGE", "TLS-ALPN-01",
                "ACME_RETRY_INTERVAL", "5000"));

        assertThat(settings).isEqualTo(new AcmeSettings(true,
                URI.create("https://acme-staging-v02.api.letsencrypt.org/directory"), "ops@example.com",
                Path.of("/ca.pem"), null, ChallengeType.TLS_ALPN_01, Duration.ofSeconds(5)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ACME_ENABLED|yes|ACME_ENABLED: 'yes' (expected: true or false)",
        "ACME_DIRECTORY|letsencrypt|ACME_DIRECTORY: 'letsencrypt' (expected: the CA's directory URL, e.g. "
                + "https://acme-v02.api.letsencrypt.org/directory)",
        "ACME_CHALLENGE|dns-01|ACME_CHALLENGE: 'dns-01' (expected: http-01 or tls-alpn-01)",
        "ACME_RETRY_INTERVAL|10|ACME_RETRY_INTERVAL: '10' (expected: milliseconds, 100 or more)",
        "ACME_RETRY_INTERVAL|1m|ACME_RETRY_INTERVAL: '1m' (expected: milliseconds, 100 or more)"})
    void refusesABadValueNamingTheSetting(String name, String value, String message) {
        assertThatThrownBy(() -> AcmeSettings.fromEnvironment(Map.of(name, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
