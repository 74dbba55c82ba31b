package io.swarmgate.api;

import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * The settings that the server's parts read from the environment themselves (TLS, users, error pages, logs, the
 * statistics page, automatic HTTPS…), declared as flags so that {@code --help} lists them with their defaults. A flag
 * given on the command line takes its variable's place in the environment those parts read ({@link Main#environment});
 * the parts check the values, naming the variable. Each default here is the one the part applies when the variable is
 * unset.
 */
@SuppressWarnings("unused") // the fields are read through picocli's model, by the variable each one names
final class EnvironmentOptions {
    @Option(names = "--config-api-token-file", paramLabel = "FILE", defaultValue = "${env:CONFIG_API_TOKEN_FILE:-}",
            showDefaultValue = Visibility.NEVER,
            description = "A file holding the API's bearer token (a Docker secret), when the token itself is not given. "
                    + "Env: CONFIG_API_TOKEN_FILE.")
    private String configApiTokenFile;

    @Option(names = "--ca-file", paramLabel = "FILE", defaultValue = "${env:CA_FILE:-}",
            showDefaultValue = Visibility.NEVER,
            description = "PEM certificate authorities of client certificates, for verifyClientSsl. Env: CA_FILE.")
    private String caFile;

    @Option(names = "--enable-h2", paramLabel = "BOOLEAN", defaultValue = "${env:ENABLE_H2:-true}", arity = "0..1",
            fallbackValue = "true", description = "Offer HTTP/2 by ALPN on the ':ssl' ports. Env: ENABLE_H2.")
    private String enableH2;

    @Option(names = "--enable-h2c", paramLabel = "BOOLEAN", defaultValue = "${env:ENABLE_H2C:-false}", arity = "0..1",
            fallbackValue = "true",
            description = "Serve HTTP/2 with prior knowledge (h2c) on the plain ports too. Env: ENABLE_H2C.")
    private String enableH2c;

    @Option(names = "--enable-h3", paramLabel = "BOOLEAN", defaultValue = "${env:ENABLE_H3:-true}", arity = "0..1",
            fallbackValue = "true",
            description = "Serve HTTP/3 over QUIC on the UDP side of the ':ssl' ports, advertised by Alt-Svc; off, with "
                    + "one log line, where QUIC's native library does not load. Env: ENABLE_H3.")
    private String enableH3;

    @Option(names = "--transport", paramLabel = "auto|io_uring|epoll|nio", defaultValue = "${env:TRANSPORT:-auto}",
            description = "The data plane's sockets: auto picks epoll where it loads, else Java NIO; io_uring, epoll or "
                    + "nio asks for one, and the start fails where it does not load. Env: TRANSPORT.")
    private String transport;

    @Option(names = "--trusted-proxies", paramLabel = "CIDRS", defaultValue = "${env:TRUSTED_PROXIES:-}",
            showDefaultValue = Visibility.NEVER,
            description = "CIDR blocks or addresses of the proxies in front, comma-separated: from one of them, the "
                    + "client is the X-Forwarded-For entry right of which all are trusted. Env: TRUSTED_PROXIES.")
    private String trustedProxies;

    @Option(names = "--ssl-bind-options", paramLabel = "OPTIONS", defaultValue = "${env:SSL_BIND_OPTIONS:-}",
            showDefaultValue = Visibility.NEVER,
            description = "HAProxy bind options narrowing the TLS versions, e.g. no-tlsv12, force-tlsv13, "
                    + "ssl-min-ver TLSv1.3. Env: SSL_BIND_OPTIONS.")
    private String sslBindOptions;

    @Option(names = "--ssl-bind-ciphers", paramLabel = "CIPHERS", defaultValue = "${env:SSL_BIND_CIPHERS:-}",
            showDefaultValue = Visibility.NEVER,
            description = "TLS 1.2 cipher suites in OpenSSL's syntax; empty: forward-secret AEAD suites only "
                    + "(Mozilla's intermediate list). Env: SSL_BIND_CIPHERS.")
    private String sslBindCiphers;

    @Option(names = "--preferred-certificate", paramLabel = "GLOBS",
            defaultValue = "${env:PREFERRED_CERTIFICATE:-}", showDefaultValue = Visibility.NEVER,
            description = "Globs of certificate names that go first, comma-separated; the first certificate is the "
                    + "default. Env: PREFERRED_CERTIFICATE.")
    private String preferredCertificate;

    @Option(names = "--unsupported-parameters", paramLabel = "refuse|warn",
            defaultValue = "${env:UNSUPPORTED_PARAMETERS:-refuse}",
            description = "refuse: a reconfigure with one of DFP's parameters that have no behaviour here gets a 400 "
                    + "naming it; warn: accepted without effect, with a warning. Env: UNSUPPORTED_PARAMETERS.")
    private String unsupportedParameters;

    @Option(names = "--filter-proxy-instance-name", paramLabel = "BOOLEAN",
            defaultValue = "${env:FILTER_PROXY_INSTANCE_NAME:-false}", arity = "0..1", fallbackValue = "true",
            description = "Leave services whose proxyInstanceName is not PROXY_INSTANCE_NAME to another proxy. "
                    + "Env: FILTER_PROXY_INSTANCE_NAME.")
    private String filterProxyInstanceName;

    @Option(names = "--proxy-instance-name", paramLabel = "NAME",
            defaultValue = "${env:PROXY_INSTANCE_NAME:-docker-flow}",
            description = "This proxy's name, when FILTER_PROXY_INSTANCE_NAME is true. Env: PROXY_INSTANCE_NAME.")
    private String proxyInstanceName;

    @Option(names = "--default-discovery-type", paramLabel = "auto|DNS|Overlay",
            defaultValue = "${env:DEFAULT_DISCOVERY_TYPE:-auto}",
            description = "discoveryType of services that give none: DNS balances over tasks.<service>, Overlay uses "
                    + "the VIP, auto is DNS when Docker's DNS is the resolver. Env: DEFAULT_DISCOVERY_TYPE.")
    private String defaultDiscoveryType;

    @Option(names = "--default-protocol", paramLabel = "http|tcp|sni", defaultValue = "${env:DEFAULT_PROTOCOL:-http}",
            description = "reqMode of the services defined by DFP_SERVICE_* variables that set none. "
                    + "Env: DEFAULT_PROTOCOL.")
    private String defaultProtocol;

    @Option(names = "--users", paramLabel = "USER:PASSWORD,...", defaultValue = "${env:USERS:-}",
            showDefaultValue = Visibility.NEVER,
            description = "Basic-auth users protecting every service without users of its own (or the secret "
                    + "dfp_users). Env: USERS.")
    private String users;

    @Option(names = "--users-pass-encrypted", paramLabel = "BOOLEAN",
            defaultValue = "${env:USERS_PASS_ENCRYPTED:-false}", arity = "0..1", fallbackValue = "true",
            description = "USERS' passwords are crypt(3) hashes. Env: USERS_PASS_ENCRYPTED.")
    private String usersPassEncrypted;

    @Option(names = "--connection-mode", paramLabel = "MODE", defaultValue = "${env:CONNECTION_MODE:-http-keep-alive}",
            description = "connectionMode of services that give none: http-keep-alive, http-server-close or "
                    + "httpclose. Env: CONNECTION_MODE.")
    private String connectionMode;

    @Option(names = "--compression-algo", paramLabel = "ALGORITHMS", defaultValue = "${env:COMPRESSION_ALGO:-}",
            showDefaultValue = Visibility.NEVER,
            description = "compressionAlgo of services that give none: gzip and/or deflate. Env: COMPRESSION_ALGO.")
    private String compressionAlgo;

    @Option(names = "--compression-type", paramLabel = "TYPES", defaultValue = "${env:COMPRESSION_TYPE:-}",
            showDefaultValue = Visibility.NEVER,
            description = "compressionType of services that give none: the media types compressed, space-separated; "
                    + "empty: common text types. Env: COMPRESSION_TYPE.")
    private String compressionType;

    @Option(names = "--error-pages-dir", paramLabel = "DIR", defaultValue = "${env:ERROR_PAGES_DIR:-/errorfiles}",
            description = "<status>.html pages replacing the proxy's own error answers. Env: ERROR_PAGES_DIR.")
    private String errorPagesDir;

    @Option(names = "--task-networks", paramLabel = "NETWORKS", defaultValue = "${env:TASK_NETWORKS:-}",
            showDefaultValue = Visibility.NEVER,
            description = "Networks (names or IDs, comma-separated) whose task addresses the proxy reaches; empty: "
                    + "those of its own container. Env: TASK_NETWORKS.")
    private String taskNetworks;

    @Option(names = "--state-file", paramLabel = "FILE", defaultValue = "${env:STATE_FILE:-}",
            showDefaultValue = Visibility.NEVER,
            description = "Where the replica keeps its services and run-time certificates, read back at start. "
                    + "Env: STATE_FILE.")
    private String stateFile;

    @Option(names = "--access-log", paramLabel = "BOOLEAN", defaultValue = "${env:ACCESS_LOG:-false}", arity = "0..1",
            fallbackValue = "true", description = "One line per request on the logger swarmgate.access. Env: ACCESS_LOG.")
    private String accessLog;

    @Option(names = "--debug", paramLabel = "BOOLEAN", defaultValue = "${env:DEBUG:-false}", arity = "0..1",
            fallbackValue = "true", description = "The access log too, as Docker Flow Proxy's DEBUG. Env: DEBUG.")
    private String debug;

    @Option(names = "--access-log-format", paramLabel = "clf|json", defaultValue = "${env:ACCESS_LOG_FORMAT:-clf}",
            description = "The access log's format: Common Log Format or JSON lines. Env: ACCESS_LOG_FORMAT.")
    private String accessLogFormat;

    @Option(names = "--stats-user", paramLabel = "USER", defaultValue = "${env:STATS_USER:-}",
            showDefaultValue = Visibility.NEVER,
            description = "With STATS_PASS: the statistics page on the proxy ports, behind basic auth (both none: "
                    + "no auth). Env: STATS_USER.")
    private String statsUser;

    @Option(names = "--stats-pass", paramLabel = "PASSWORD", defaultValue = "${env:STATS_PASS:-}",
            showDefaultValue = Visibility.NEVER, description = "The statistics page's password. Env: STATS_PASS.")
    private String statsPass;

    @Option(names = "--stats-uri", paramLabel = "PATH", defaultValue = "${env:STATS_URI:-/admin?stats}",
            description = "Where the statistics page answers. Env: STATS_URI.")
    private String statsUri;

    @Option(names = "--acme-enabled", paramLabel = "BOOLEAN", defaultValue = "${env:ACME_ENABLED:-false}",
            arity = "0..1", fallbackValue = "true",
            description = "Order certificates over ACME for services' letsencrypt.host. Env: ACME_ENABLED.")
    private String acmeEnabled;

    @Option(names = "--acme-directory", paramLabel = "URL",
            defaultValue = "${env:ACME_DIRECTORY:-https://acme-v02.api.letsencrypt.org/directory}",
            description = "The CA's ACME directory. Env: ACME_DIRECTORY.")
    private String acmeDirectory;

    @Option(names = "--acme-email", paramLabel = "EMAIL", defaultValue = "${env:ACME_EMAIL:-}",
            showDefaultValue = Visibility.NEVER,
            description = "The ACME account's contact; empty: the first ordering service's letsencrypt.email. "
                    + "Env: ACME_EMAIL.")
    private String acmeEmail;

    @Option(names = "--acme-ca-file", paramLabel = "FILE", defaultValue = "${env:ACME_CA_FILE:-}",
            showDefaultValue = Visibility.NEVER,
            description = "PEM authorities trusted, besides the JDK's, for the CA's own HTTPS. Env: ACME_CA_FILE.")
    private String acmeCaFile;

    @Option(names = "--acme-account-key", paramLabel = "FILE", defaultValue = "${env:ACME_ACCOUNT_KEY:-}",
            showDefaultValue = Visibility.NEVER,
            description = "Where the ACME account key is kept; empty: acme-account.pem beside STATE_FILE, else in "
                    + "memory only. Env: ACME_ACCOUNT_KEY.")
    private String acmeAccountKey;

    @Option(names = "--acme-challenge", paramLabel = "http-01|tls-alpn-01",
            defaultValue = "${env:ACME_CHALLENGE:-http-01}",
            description = "The validation asked for when the CA offers it. Env: ACME_CHALLENGE.")
    private String acmeChallenge;

    @Option(names = "--acme-retry-interval", paramLabel = "MILLISECONDS",
            defaultValue = "${env:ACME_RETRY_INTERVAL:-60000}",
            description = "Time before the first retry of a failed order, doubling up to 512 times it. "
                    + "Env: ACME_RETRY_INTERVAL.")
    private String acmeRetryInterval;
}
