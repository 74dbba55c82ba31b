package io.swarmgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.api.http.ApiAccess;
import io.swarmgate.api.replicas.ReplicaSettings;
import io.swarmgate.discovery.DiscoverySettings;
import io.swarmgate.proxy.Timeouts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

class MainTest {
    private static final List<String> SETTINGS = List.of("PORT", "IP", "DEFAULT_PORTS", "BIND_PORTS", "SEPARATOR",
            "HTTPS_ONLY", "TIMEOUT_CONNECT", "TIMEOUT_SERVER", "TIMEOUT_CLIENT", "TIMEOUT_HTTP_REQUEST",
            "TIMEOUT_HTTP_KEEP_ALIVE", "GRACE_PERIOD", "DISCOVERY", "DOCKER_HOST", "DF_NOTIFY_LABEL",
            "DISCOVERY_LABEL_PREFIX", "DISCOVERY_RESYNC_INTERVAL", "MAX_CONNECTIONS", "CONFIG_API_TOKEN", "CONFIG_API_USERS",
            "CERTS_DIR", "MODE", "SERVICE_NAME", "REPLICA_DNS_SERVER", "LISTENER_ADDRESS", "RELOAD_INTERVAL");

    private static ServerSettings settings(String... args) {
        Main main = new Main();
        new CommandLine(main).parseArgs(args);
        return main.settings();
    }

    @Test
    void helpListsEveryOptionWithItsVariableAndDefault() {
        assumeTrue(SETTINGS.stream().noneMatch(name -> System.getenv(name) != null), "DFP settings in the env");

        String help = Main.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF).replaceAll("\\s+", " ");

        for (String setting : SETTINGS) {
            assertThat(help).contains("Env: " + setting + ".");
        }
        Stream.of("--port=PORT", "--ip=IP", "--default-ports=PORTS", "--bind-ports=PORTS",
                        "--separator=SEPARATOR", "--https-only[=BOOLEAN]", "--timeout-connect=SECONDS",
                        "--timeout-server=SECONDS", "--timeout-client=SECONDS", "--timeout-http-request=SECONDS",
                        "--timeout-http-keep-alive=SECONDS", "--grace-period=SECONDS", "--discovery=auto|off",
                        "--docker-host=URL", "--notify-label=LABEL", "--label-prefix=PREFIX",
                        "--resync-interval=SECONDS", "--max-connections=COUNT", "--api-token=TOKEN",
                        "--api-users=USER:PASSWORD,...", "--certs-dir=DIR", "--mode=MODE", "--help", "--version")
                .forEach(option -> assertThat(help).contains(option));
        assertThat(help).contains("Default: 8080", "Default: 0.0.0.0", "Default: 80",
                "Default: ,", "Redirect every service to https. Env: HTTPS_ONLY. Default: false", "Default: 5",
                "Default: 20", "Default: 15", "Default: default", "Default: auto",
                "Default: unix:///var/run/docker.sock", "Default: com.df.notify", "Default: com.df.");
    }

    @Test
    void defaultsToDfpsSettings() {
        assumeTrue(SETTINGS.stream().noneMatch(name -> System.getenv(name) != null), "DFP settings in the env");

        // DFP's image: DEFAULT_PORTS=80,443:ssl
        assertThat(settings()).isEqualTo(new ServerSettings("0.0.0.0", 8080, List.of(80), ",", false,
                Timeouts.DEFAULTS, Duration.ofSeconds(10), 5000,
                DiscoverySettings.defaults("unix:///var/run/docker.sock"), ApiAccess.OPEN, ReplicaSettings.DEFAULTS,
                TlsSettings.NONE.withPorts(List.of(443))));
    }

    @Test
    void readsEveryFlag() {
        ServerSettings settings = settings("--port", "9090", "--ip", "127.0.0.1", "--default-ports", "8081,443:ssl",
                "--bind-ports", "8082, 8443:ssl,8083", "--separator", ";", "--https-only", "--timeout-connect", "1",
                "--timeout-server", "2", "--timeout-client", "3", "--timeout-http-request", "4",
                "--timeout-http-keep-alive", "6", "--grace-period", "0", "--mode", "swarm",
                "--docker-host", "tcp://127.0.0.1:2375", "--notify-label", "proxy.expose", "--label-prefix", "proxy.",
                "--resync-interval", "5", "--max-connections", "20000", "--api-token", "s3cret",
                "--api-users", "ops:pw1,ci:pw2", "--service-name", "edge", "--replica-dns-server", "127.0.0.1:5353",
                "--listener-address", "listener, dfsl:9000", "--reload-interval", "250", "--certs-dir", "/srv/certs");

        assertThat(settings).isEqualTo(new ServerSettings("127.0.0.1", 9090, List.of(8081, 8082, 8083), ";", true,
                new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3),
                        Duration.ofSeconds(4), Duration.ofSeconds(6)), Duration.ZERO, 20000,
                new DiscoverySettings("tcp://127.0.0.1:2375", "proxy.", "proxy.expose", Duration.ofSeconds(5),
                        DiscoverySettings.DEFAULT_MAX_BACKOFF),
                new ApiAccess("s3cret", Map.of("ops", "pw1", "ci", "pw2")),
                new ReplicaSettings("edge", new InetSocketAddress("127.0.0.1", 5353), List.of("listener", "dfsl:9000"),
                        Duration.ofMillis(250)),
                new TlsSettings(List.of(443, 8443), Path.of("/srv/certs"), Path.of("/run/secrets"))));
    }

    @Test
    void readsDfpsBindOptions() {
        ServerSettings settings = settings("--default-ports", "80", "--bind-ports",
                "8443 accept-proxy:ssl, 8081 accept-proxy, 8082, 9443:ssl accept-proxy");

        assertThat(settings.proxyPorts()).containsExactly(80, 8081, 8082);
        assertThat(settings.tls().ports()).containsExactly(8443, 9443);
        assertThat(settings.proxyProtocolPorts()).containsExactlyInAnyOrder(8443, 8081, 9443);
    }

    @Test
    void refusesABindOptionItDoesNotKnowNamingIt() {
        assertThatThrownBy(() -> settings("--bind-ports", "8443 tfo:ssl"))
                .hasMessage("BIND_PORTS: '8443 tfo:ssl' (bind option 'tfo' not supported; expected: accept-proxy)");
    }

    @Test
    void turnsDiscoveryOff() {
        assertThat(settings("--discovery=off").discovery()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"1, true", "T, true", "False, false", "0, false"})
    void readsHttpsOnlyAsGoDoes(String value, boolean expected) {
        assertThat(settings("--https-only=" + value).httpsOnly()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            --default-ports | 80x              | DEFAULT_PORTS: '80x' (expected: comma-separated ports 0-65535, each optionally with :ssl)
            --default-ports | ''               | DEFAULT_PORTS: '' (expected: at least one port)
            --default-ports | x:ssl            | DEFAULT_PORTS: 'x' (expected: comma-separated ports 0-65535, each optionally with :ssl)
            --bind-ports    | 70000            | BIND_PORTS: '70000' (expected: comma-separated ports 0-65535, each optionally with :ssl)
            --timeout-server | 0               | TIMEOUT_SERVER: 0 (expected: seconds, 1 or more)
            --port          | 65536            | PORT: 65536 (expected: 0-65535)
            --discovery     | on               | DISCOVERY: 'on' (expected: auto or off)
            --resync-interval | 0              | DISCOVERY_RESYNC_INTERVAL: 0 (expected: seconds, 1 or more)
            """)
    void rejectsBadSettingsNamingThem(String option, String value, String message) {
        assertThatThrownBy(() -> settings(option, value))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage(message);
    }

    @Test
    void exitsWithAUsageErrorOnABadValue() {
        StringWriter errors = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(errors));

        assertThat(commandLine.execute("--https-only=yes")).isEqualTo(2);
        assertThat(commandLine.execute("--default-ports", "x")).isEqualTo(2);
        assertThat(errors.toString()).contains("swarmgate: ", "'yes' (expected: true or false)",
                "(from the option or its variable HTTPS_ONLY)",
                "DEFAULT_PORTS: 'x' (expected: comma-separated ports 0-65535, each optionally with :ssl)",
                "Every option, its variable and its default: swarmgate --help").doesNotContain("Usage:");
    }
}
