package io.swarmgate.api;

import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.api.http.ApiAccess;
import io.swarmgate.api.logs.LogConfiguration;
import io.swarmgate.api.replicas.ReplicaSettings;
import io.swarmgate.config.GoBooleans;
import io.swarmgate.config.InvalidServiceException;
import io.swarmgate.discovery.DiscoverySettings;
import io.swarmgate.proxy.Timeouts;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Starts Swarmgate from flags and Docker Flow Proxy's environment variables; runs until the JVM is stopped. */
@Command(name = "swarmgate", sortOptions = false, showDefaultValues = true,
        version = "Swarmgate 0.1.0",
        description = {"A Docker Swarm reverse proxy with Docker Flow Proxy's configuration API.",
                "Each option can also be set by the environment variable named in its description."},
        footer = {"", "On the API port: /dashboard/ (a live dashboard for a browser), /metrics (Prometheus), /ping "
                + "(liveness), /ready (readiness), /v1/docker-flow-proxy/... (Docker Flow Proxy's API). With "
                + "CONFIG_API_TOKEN, a browser signs in with any user name and the token as password.",
                "", "Read from the environment alone: DFP_SERVICE_* and DFP_SERVICE_<n>_* (services defined at "
                + "start; see docs/reference/parameters.md), and DOCKER_TLS_VERIFY and DOCKER_CERT_PATH (read by "
                + "the Docker client). Every variable can also come from the Docker secret dfp_<name in lower case>; "
                + "a flag wins over both.", ""})
public final class Main implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    /** The variables and secrets settings are read from. */
    private final Map<String, String> environment;

    @Spec
    private CommandSpec spec;

    @Mixin
    private EnvironmentOptions environmentOptions;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:PORT:-8080}",
            description = "Port of the configuration API. Env: PORT.")
    private int port;

    @Option(names = "--ip", paramLabel = "IP", defaultValue = "${env:IP:-0.0.0.0}",
            description = "Address the configuration API binds to. Env: IP.")
    private String ip;

    @Option(names = "--default-ports", paramLabel = "PORTS", defaultValue = "${env:DEFAULT_PORTS:-80,443:ssl}",
            description = "Proxy ports, comma-separated; ':ssl' ports serve HTTPS, e.g. 80,443:ssl. "
                    + "Env: DEFAULT_PORTS.")
    private String defaultPorts;

    @Option(names = "--bind-ports", paramLabel = "PORTS", defaultValue = "${env:BIND_PORTS:-}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Extra proxy ports, comma-separated, e.g. for srcPort routes; 'accept-proxy' after a port "
                    + "takes the PROXY protocol there, e.g. 8443 accept-proxy:ssl. Env: BIND_PORTS.")
    private String bindPorts;

    @Option(names = "--separator", paramLabel = "SEPARATOR", defaultValue = "${env:SEPARATOR:-,}",
            description = "Separator of list values in reconfigure parameters. Env: SEPARATOR.")
    private String separator;

    @Option(names = "--https-only", paramLabel = "BOOLEAN", defaultValue = "${env:HTTPS_ONLY:-false}",
            arity = "0..1", fallbackValue = "true", converter = GoBooleanConverter.class,
            showDefaultValue = CommandLine.Help.Visibility.ALWAYS,
            description = "Redirect every service to https. Env: HTTPS_ONLY.")
    private boolean httpsOnly;

    @Option(names = "--timeout-connect", paramLabel = "SECONDS", defaultValue = "${env:TIMEOUT_CONNECT:-5}",
            description = "Time to open a backend connection; past it 503. Env: TIMEOUT_CONNECT.")
    private int timeoutConnect;

    @Option(names = "--timeout-server", paramLabel = "SECONDS", defaultValue = "${env:TIMEOUT_SERVER:-20}",
            description = "Backend inactivity during an exchange; past it 504. Env: TIMEOUT_SERVER.")
    private int timeoutServer;

    @Option(names = "--timeout-client", paramLabel = "SECONDS", defaultValue = "${env:TIMEOUT_CLIENT:-20}",
            description = "Client inactivity during an exchange. Env: TIMEOUT_CLIENT.")
    private int timeoutClient;

    @Option(names = "--timeout-http-request", paramLabel = "SECONDS",
            defaultValue = "${env:TIMEOUT_HTTP_REQUEST:-5}",
            description = "Time to receive a request head; past it 408. Env: TIMEOUT_HTTP_REQUEST.")
    private int timeoutHttpRequest;

    @Option(names = "--timeout-http-keep-alive", paramLabel = "SECONDS",
            defaultValue = "${env:TIMEOUT_HTTP_KEEP_ALIVE:-15}",
            description = "How long an idle keep-alive connection waits for its next request. "
                    + "Env: TIMEOUT_HTTP_KEEP_ALIVE.")
    private int timeoutHttpKeepAlive;

    @Option(names = "--grace-period", paramLabel = "SECONDS", defaultValue = "${env:GRACE_PERIOD:-10}",
            description = "On SIGTERM, how long requests in flight may take before the remaining connections are "
                    + "closed; Swarm's stop_grace_period should be longer. Env: GRACE_PERIOD.")
    private int gracePeriod;

    @Option(names = "--max-connections", paramLabel = "COUNT", defaultValue = "${env:MAX_CONNECTIONS:-5000}",
            description = "Client connections served at once; one more gets a 503 and is closed (Docker Flow Proxy's "
                    + "maxconn). Env: MAX_CONNECTIONS.")
    private int maxConnections;

    @Option(names = "--api-token", paramLabel = "TOKEN", defaultValue = "${env:CONFIG_API_TOKEN:-}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Protect the configuration API: requests need 'Authorization: Bearer TOKEN'. "
                    + "Env: CONFIG_API_TOKEN. Or name a file that holds it (a Docker secret) in CONFIG_API_TOKEN_FILE.")
    private String apiToken;

    @Option(names = "--certs-dir", paramLabel = "DIR", defaultValue = "${env:CERTS_DIR:-/certs}",
            description = "PEM bundles (key and certificates in one file) served on the ':ssl' ports; certificates "
                    + "put through the API are saved here. Secrets named cert-* or cert_* are served too. "
                    + "Env: CERTS_DIR.")
    private String certsDir;

    @Option(names = "--api-users", paramLabel = "USER:PASSWORD,...", defaultValue = "${env:CONFIG_API_USERS:-}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Protect the configuration API with basic auth for these users. Env: CONFIG_API_USERS.")
    private String apiUsers;

    @Option(names = "--discovery", paramLabel = "auto|off", defaultValue = "${env:DISCOVERY:-auto}",
            description = "auto: route the swarm's services labelled for it when a swarm manager answers at "
                    + "DOCKER_HOST; off: routes come from the API alone. Env: DISCOVERY.")
    private String discovery;

    @Option(names = "--docker-host", paramLabel = "URL",
            defaultValue = "${env:DOCKER_HOST:-" + DiscoverySettings.DEFAULT_DOCKER_HOST + "}",
            description = "The Docker API discovery reads. Env: DOCKER_HOST.")
    private String dockerHost;

    @Option(names = "--notify-label", paramLabel = "LABEL",
            defaultValue = "${env:DF_NOTIFY_LABEL:-" + DiscoverySettings.DEFAULT_NOTIFY_LABEL + "}",
            description = "Services with this label set to true are routed. Env: DF_NOTIFY_LABEL.")
    private String notifyLabel;

    @Option(names = "--label-prefix", paramLabel = "PREFIX",
            defaultValue = "${env:DISCOVERY_LABEL_PREFIX:-" + DiscoverySettings.DEFAULT_LABEL_PREFIX + "}",
            description = "Service labels under this prefix are reconfigure parameters. Env: DISCOVERY_LABEL_PREFIX.")
    private String labelPrefix;

    @Option(names = "--resync-interval", paramLabel = "SECONDS", defaultValue = "${env:DISCOVERY_RESYNC_INTERVAL:-15}",
            description = "How often discovery lists every service, to catch what Docker's events missed. "
                    + "Env: DISCOVERY_RESYNC_INTERVAL.")
    private int resyncInterval;

    @Option(names = "--service-name", paramLabel = "NAME",
            defaultValue = "${env:SERVICE_NAME:-" + ReplicaSettings.DEFAULT_SERVICE_NAME + "}",
            description = "The proxy's own Swarm service: distribute=true reaches every address of tasks.NAME. "
                    + "Env: SERVICE_NAME.")
    private String serviceName;

    @Option(names = "--replica-dns-server", paramLabel = "HOST:PORT", defaultValue = "${env:REPLICA_DNS_SERVER:-}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "The DNS server asked for tasks.SERVICE_NAME (the other replicas) and for the tasks of "
                    + "task-balanced services; empty for the system's. Env: REPLICA_DNS_SERVER.")
    private String replicaDnsServer;

    @Option(names = "--listener-address", paramLabel = "HOST[:PORT],...", defaultValue = "${env:LISTENER_ADDRESS:-}",
            showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Swarm listeners to pull every service from at start (port 8080 unless named). "
                    + "Env: LISTENER_ADDRESS.")
    private String listenerAddress;

    @Option(names = "--reload-interval", paramLabel = "MILLISECONDS", defaultValue = "${env:RELOAD_INTERVAL:-5000}",
            description = "Time between two tries of the pull from the listeners. Env: RELOAD_INTERVAL.")
    private long reloadInterval;

    /** Never read: it exists so that scripts passing DFP's MODE keep working. */
    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "${env:MODE:-default}",
            description = "Accepted for compatibility and ignored, as Docker Flow Proxy ignores it. Env: MODE.")
    private String mode;

    // Picocli's standard help options, declared here: its mixin of them names them in ${...} variables, which this
    // command line does not expand (commandLine says why).
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print version information and exit.")
    private boolean version;

    /** Reads the process's environment and the Docker secrets {@code /run/secrets/dfp_*}, which win. */
    Main() {
        this(SecretEnvironment.of(System.getenv(), SecretEnvironment.SECRETS_DIR));
    }

    Main(Map<String, String> environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        // Leak detection samples and records buffer touches on every request (7 % of the proxy's CPU in the bench);
        // the tests run with it at paranoid, the server without it unless asked for.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            System.setProperty("io.netty.leakDetection.level", "disabled");
        }
        // Netty registers its buffer events with the flight recorder on first use, recording or not: about 100 classes
        // and a tenth of the CPU to the first answer. -Dio.netty.jfr.enabled=true brings them back for a recording.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        // Without arguments, the common case in a container, the settings come from the environment alone: read
        // without building picocli's model (OptionsFromEnvironment says why), which --help and flags still use.
        int exitCode = args.length == 0 ? new Main().startFromEnvironment(new PrintWriter(System.err, true))
                : commandLine().execute(args);
        if (exitCode != 0) {
            LogConfiguration.stop();
            System.exit(exitCode);
        }
    }

    static CommandLine commandLine() {
        return commandLine(new Main());
    }

    /**
     * The command line of {@code main}: an option not given takes its variable from {@code main}'s environment (the
     * secret {@code dfp_<name>} included), then its default, as {@link EnvironmentVariable} reads them. Nothing is
     * expanded: picocli would expand {@code ${...}} and {@code $$} in a variable's value, turning a password's
     * {@code $$} into {@code $}; {@link OptionsFromEnvironment} takes values as they are too.
     */
    static CommandLine commandLine(Main main) {
        CommandLine commandLine = new CommandLine(main).setInterpolateVariables(false);
        commandLine.setDefaultValueProvider(option -> {
            EnvironmentVariable variable = EnvironmentVariable.of(option.userObject());
            return variable == null ? null : variable.valueIn(main.environment);
        });
        commandLine.setParameterExceptionHandler(new BadSettingHandler());
        commandLine.setExecutionExceptionHandler((e, line, parseResult) -> cannotStart(e));
        return commandLine;
    }

    /**
     * What {@code commandLine(this).execute()} does, without picocli: the options set from the environment alone, a
     * refused setting written to {@code err} in the same two lines with the same exit code, a failed start logged the
     * same way.
     */
    int startFromEnvironment(PrintWriter err) {
        ServerSettings settings;
        try {
            OptionsFromEnvironment.fill(this, environment);
            settings = checkedSettings();
        } catch (IllegalArgumentException refused) {
            BadSettingHandler.report(err, refused.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        try {
            run(settings);
            return 0;
        } catch (Exception e) {
            return cannotStart(e);
        }
    }

    /** Logs why the server did not start; the exit code. */
    private static int cannotStart(Exception e) {
        if (e instanceof InvalidServiceException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            log.error("Swarmgate cannot start: {}", e.getMessage());
        } else {
            log.error("Swarmgate cannot start", e);
        }
        return 1;
    }

    @Override
    public Integer call() throws InterruptedException {
        run(settings());
        return 0;
    }

    private void run(ServerSettings settings) throws InterruptedException {
        SwarmgateServer server = SwarmgateServer.start(settings, environment());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            LogConfiguration.stop();
        }, "swarmgate-shutdown"));
        server.awaitStop();
    }

    /**
     * The environment the server's parts read their settings from: the variables and secrets, with the value of each
     * flag given on the command line in its variable's place; as it is when picocli parsed no command line.
     */
    Map<String, String> environment() {
        if (spec == null) {
            return environment;
        }
        Map<String, String> withFlags = new HashMap<>(environment);
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        for (OptionSpec option : spec.options()) {
            EnvironmentVariable variable = EnvironmentVariable.of(option.userObject());
            if (variable != null && given != null && given.hasMatchedOption(option)) {
                withFlags.put(variable.name(), String.valueOf((Object) option.getValue()));
            }
        }
        return Map.copyOf(withFlags);
    }

    /** The settings the options describe; a bad one is refused as picocli refuses a flag's value. */
    ServerSettings settings() {
        try {
            return checkedSettings();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** The settings the options describe; an {@link IllegalArgumentException} names the variable of a bad one. */
    private ServerSettings checkedSettings() {
        ProxyPorts ports = ProxyPorts.parse("DEFAULT_PORTS", defaultPorts)
                .plus(ProxyPorts.parse("BIND_PORTS", bindPorts));
        if (ports.plain().isEmpty() && ports.tls().isEmpty()) {
            throw new IllegalArgumentException("DEFAULT_PORTS: '" + defaultPorts + "' (expected: at least one port)");
        }
        Timeouts timeouts = new Timeouts(seconds("TIMEOUT_CONNECT", timeoutConnect),
                seconds("TIMEOUT_SERVER", timeoutServer), seconds("TIMEOUT_CLIENT", timeoutClient),
                seconds("TIMEOUT_HTTP_REQUEST", timeoutHttpRequest),
                seconds("TIMEOUT_HTTP_KEEP_ALIVE", timeoutHttpKeepAlive));
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("PORT: " + port + " (expected: 0-65535)");
        }
        if (gracePeriod < 0) {
            throw new IllegalArgumentException("GRACE_PERIOD: " + gracePeriod + " (expected: seconds, 0 or more)");
        }
        return new ServerSettings(ip, port, ports.plain(), separator, httpsOnly, timeouts,
                Duration.ofSeconds(gracePeriod), maxConnections, discoverySettings(), apiAccess(),
                new ReplicaSettings(serviceName, dnsServer(), Arrays.stream(listenerAddress.split(","))
                        .map(String::strip).filter(a -> !a.isEmpty()).toList(),
                        Duration.ofMillis(reloadInterval)),
                new TlsSettings(ports.tls(), Path.of(certsDir), SecretEnvironment.SECRETS_DIR),
                ports.proxyProtocol());
    }

    private ApiAccess apiAccess() {
        String token = apiToken;
        String tokenFile = environment().get("CONFIG_API_TOKEN_FILE");
        if (token.isEmpty() && tokenFile != null && !tokenFile.isEmpty()) {
            try {
                token = Files.readString(Path.of(tokenFile)).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("CONFIG_API_TOKEN_FILE: cannot read " + tokenFile + ": " + e);
            }
        }
        Map<String, String> users = new LinkedHashMap<>();
        for (String pair : apiUsers.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new IllegalArgumentException("CONFIG_API_USERS: expected user:password pairs separated by commas");
            }
            users.put(pair.substring(0, colon).strip(), pair.substring(colon + 1));
        }
        return new ApiAccess(token, users);
    }

    /** Null for the system's. */
    private InetSocketAddress dnsServer() {
        if (replicaDnsServer.isEmpty()) {
            return null;
        }
        int colon = replicaDnsServer.lastIndexOf(':');
        try {
            return new InetSocketAddress(replicaDnsServer.substring(0, colon),
                    Integer.parseInt(replicaDnsServer.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("REPLICA_DNS_SERVER: '" + replicaDnsServer
                    + "' (expected: host:port, e.g. 127.0.0.11:53)");
        }
    }

    /** Null when discovery is off. */
    private DiscoverySettings discoverySettings() {
        return switch (discovery) {
            case "off" -> null;
            case "auto" -> new DiscoverySettings(dockerHost, labelPrefix, notifyLabel,
                    seconds("DISCOVERY_RESYNC_INTERVAL", resyncInterval), DiscoverySettings.DEFAULT_MAX_BACKOFF);
            default -> throw new IllegalArgumentException("DISCOVERY: '" + discovery + "' (expected: auto or off)");
        };
    }

    private static Duration seconds(String setting, int seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException(setting + ": " + seconds + " (expected: seconds, 1 or more)");
        }
        return Duration.ofSeconds(seconds);
    }

    /** Reads booleans as DFP reads its settings (Go's {@code ParseBool}: 1, t, TRUE, True, 0, f, …). */
    static final class GoBooleanConverter implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            Boolean parsed = GoBooleans.parse(value);
            if (parsed == null) {
                throw new CommandLine.TypeConversionException("'" + value + "' (expected: true or false)");
            }
            return parsed;
        }
    }
}
