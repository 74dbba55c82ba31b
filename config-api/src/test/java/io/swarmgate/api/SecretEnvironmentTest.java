package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every setting can come from the Docker secret {@code dfp_<lower-case name>}, which wins, as in Docker Flow Proxy. */
class SecretEnvironmentTest {
    @TempDir
    Path secrets;

    @Test
    void aSecretNamedAfterAVariableReplacesItAndOthersStay() throws Exception {
        Files.writeString(secrets.resolve("dfp_stats_pass"), "from-the-secret\n");
        Files.writeString(secrets.resolve("dfp_access_log"), "true");
        Files.writeString(secrets.resolve("cert-a.test"), "not a setting");

        Map<String, String> environment = SecretEnvironment.of(
                Map.of("STATS_PASS", "from-the-env", "STATS_USER", "admin"), secrets);

        assertThat(environment).containsExactlyInAnyOrderEntriesOf(Map.of("STATS_PASS", "from-the-secret",
                "STATS_USER", "admin", "ACCESS_LOG", "true"));
        assertThat(SecretEnvironment.of(Map.of("PORT", "1"), secrets.resolve("absent")))
                .isEqualTo(Map.of("PORT", "1"));
    }

    @Test
    void optionsTakeSecretsOverVariablesAndFlagsOverBoth() throws Exception {
        Files.writeString(secrets.resolve("dfp_port"), "9090\n");
        Files.writeString(secrets.resolve("dfp_config_api_token"), "s3cret");
        Map<String, String> environment = SecretEnvironment.of(Map.of("PORT", "8081", "SEPARATOR", ";"), secrets);

        assertThat(settings(environment).apiPort()).isEqualTo(9090);
        assertThat(settings(environment).separator()).isEqualTo(";");
        assertThat(settings(environment).apiAccess().isOpen()).isFalse();
        assertThat(settings(environment, "--port", "7000").apiPort()).isEqualTo(7000);
        assertThat(settings(Map.of()).apiPort()).isEqualTo(8080);
    }

    private static ServerSettings settings(Map<String, String> environment, String... args) {
        Main main = new Main(environment);
        Main.commandLine(main).parseArgs(args);
        return main.settings();
    }
}
