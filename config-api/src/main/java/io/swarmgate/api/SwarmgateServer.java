package io.swarmgate.api;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.swarmgate.api.acme.AcmeSettings;
import io.swarmgate.api.acme.AutomaticCertificates;
import io.swarmgate.api.acme.ChallengeBoard;
import io.swarmgate.api.acme.LocalOrderLock;
import io.swarmgate.api.acme.OrderLock;
import io.swarmgate.api.acme.Replicas;
import io.swarmgate.api.acme.ReplicatedCertificates;
import io.swarmgate.api.acme.SwarmOrderLock;
import io.netty.handler.ssl.OpenSsl;
import io.swarmgate.api.certs.CertificateFiles;
import io.swarmgate.api.certs.ProtocolEnvironment;
import io.swarmgate.api.certs.ServedCertificates;
import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.api.dashboard.Dashboard;
import io.swarmgate.api.http.ConfigApiServer;
import io.swarmgate.api.http.Readiness;
import io.swarmgate.api.logs.AccessLog;
import io.swarmgate.api.metrics.SwarmgateMetrics;
import io.swarmgate.api.replicas.ConfigVersion;
import io.swarmgate.api.replicas.ListenerPull;
import io.swarmgate.api.replicas.PeerSync;
import io.swarmgate.api.replicas.Peers;
import io.swarmgate.api.replicas.ReplicaState;
import io.swarmgate.api.replicas.StateAdoption;
import io.swarmgate.api.replicas.StateFile;
import io.swarmgate.api.stats.StatsPage;
import io.swarmgate.config.Compatibility;
import io.swarmgate.config.EnvironmentServices;
import io.swarmgate.config.GlobalRules;
import io.swarmgate.config.InvalidServiceException;
import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.config.ServiceSpec;
import io.swarmgate.discovery.DiscoveryObserver;
import io.swarmgate.discovery.DiscoverySettings;
import io.swarmgate.discovery.SwarmDiscovery;
import io.swarmgate.discovery.TaskDirectory;
import io.swarmgate.discovery.docker.DockerEngine;
import io.swarmgate.discovery.docker.DockerUnavailableException;
import io.swarmgate.proxy.ErrorPages;
import io.swarmgate.proxy.ProxyServer;
import io.swarmgate.proxy.SocketTransport;
import io.swarmgate.proxy.acme.AcmeChallenges;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tls.CertificatePreference;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import io.swarmgate.proxy.tls.ServerCertificate;
import io.swarmgate.proxy.tls.TlsPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

/**
 * A whole Swarmgate: the data plane, the service registry that feeds it, and the configuration API that writes to the
 * registry. {@link #start} returns when all of them serve; {@link #stop} drains the data plane, then closes the API.
 */
public final class SwarmgateServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwarmgateServer.class);
    private static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    private final ProxyServer proxy;
    private final ServiceRegistry registry;
    private final Optional<SwarmDiscovery> discovery;
    private final ListenerPull listenerPull;
    private final Optional<StateFile> stateFile;
    private final ConfigApiServer api;
    private final Readiness readiness;
    private final Optional<AutomaticCertificates> acme;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private SwarmgateServer(ProxyServer proxy, ServiceRegistry registry, Optional<SwarmDiscovery> discovery,
                            ListenerPull listenerPull, Optional<StateFile> stateFile, ConfigApiServer api,
                            Readiness readiness, Optional<AutomaticCertificates> acme) {
        this.acme = acme;
        this.stateFile = stateFile;
        this.readiness = readiness;
        this.proxy = proxy;
        this.registry = registry;
        this.discovery = discovery;
        this.listenerPull = listenerPull;
        this.api = api;
    }

    /**
     * Starts the data plane, applies the services {@code DFP_SERVICE_*} variables define, discovers the swarm's
     * labelled services when the settings ask for it and a swarm manager answers, then opens the API and, with
     * {@code LISTENER_ADDRESS}, starts pulling the services of the swarm listener.
     *
     * @param environment where {@code DFP_SERVICE_*}, {@code DEFAULT_PROTOCOL} and the access log's settings
     *                    ({@code ACCESS_LOG}, {@code ACCESS_LOG_FORMAT}, {@code DEBUG}) are read, e.g.
     *                    {@code System.getenv()}
     * @throws io.swarmgate.config.InvalidServiceException when an environment service is invalid; nothing is left
     *                                                     running then
     */
    public static SwarmgateServer start(ServerSettings settings, Map<String, String> environment) {
        UnhonouredVariables.logWarnings(environment);
        ReconfigureParameters parser = new ReconfigureParameters(settings.separator(), settings.httpsOnly(),
                Compatibility.fromEnvironment(environment));
        List<ServiceSpec> environmentServices = EnvironmentServices.read(environment, parser);
        GlobalRules globalRules = GlobalRules.fromEnvironment(environment, settings.tls().secretsDir(),
                DefaultDiscoveryType.of(environment, RESOLV_CONF));
        SwarmgateMetrics metrics = new SwarmgateMetrics();
        Optional<StatsPage> statsPage = StatsPage.fromEnvironment(environment, metrics::stats);
        ProxyServer.Builder proxyBuilder = ProxyServer.builder().timeouts(settings.timeouts())
                .shutdownGrace(settings.shutdownGrace())
                .maxConnections(settings.maxConnections())
                .observer(AccessLog.fromEnvironment(environment).map(metrics.proxyObserver()::andThen)
                        .orElse(metrics.proxyObserver()));
        settings.proxyPorts().forEach(port -> proxyBuilder.http(port, settings.proxyProtocolPorts().contains(port)));
        settings.tls().ports().forEach(port -> proxyBuilder.https(port,
                settings.proxyProtocolPorts().contains(port)));
        proxyBuilder.certificates(certificates(settings.tls(), environment.getOrDefault("CA_FILE", ""),
                environment.getOrDefault("PREFERRED_CERTIFICATE", ""), ProtocolEnvironment.tlsPolicy(environment)));
        proxyBuilder.h2c(ProtocolEnvironment.h2c(environment));
        proxyBuilder.http3(ProtocolEnvironment.h3(environment));
        proxyBuilder.transport(transport(environment.getOrDefault("TRANSPORT", "auto")));
        proxyBuilder.trustedProxies(ProtocolEnvironment.trustedProxies(environment));
        AcmeSettings acmeSettings = acmeSettings(environment);
        AcmeChallenges challenges = new AcmeChallenges();
        proxyBuilder.acmeChallenges(challenges);
        proxyBuilder.errorPages(errorPages(Path.of(environment.getOrDefault("ERROR_PAGES_DIR", "/errorfiles"))));
        TaskDirectory taskDirectory = new TaskDirectory(
                TaskDirectory.networks(environment.getOrDefault("TASK_NETWORKS", "")));
        proxyBuilder.taskAddresses(taskDirectory);
        if (settings.replicas().nameServer() != null) {
            // The server that answers tasks.<SERVICE_NAME> answers the other services' tasks.<name> too.
            proxyBuilder.nameServer(settings.replicas().nameServer());
        }
        ProxyServer proxy;
        try {
            // Held until the routes are in: a client is never answered from a table still being filled.
            proxy = proxyBuilder.build().startHeld();
        } catch (IllegalStateException e) {
            if (!e.getMessage().startsWith("cannot bind")) {
                throw e;
            }
            throw new IllegalStateException(e.getMessage() + ". DEFAULT_PORTS and BIND_PORTS choose the proxy's "
                    + "ports, e.g. DEFAULT_PORTS=8080,8443:ssl", e);
        }
        CompletableFuture<Void> tlsPrepared = settings.tls().ports().isEmpty()
                ? CompletableFuture.completedFuture(null) : prepareTls(proxy);
        Optional<SwarmDiscovery> discovery = Optional.empty();
        Optional<StateFile> stateFile = Optional.empty();
        try {
            ServedCertificates certificates = new ServedCertificates(proxy, settings.tls());
            ChallengeBoard board = new ChallengeBoard(challenges);
            Consumer<RouteTable> publisher = statsPage.map(page -> page.addedTo(proxy::routes)).orElse(proxy::routes);
            publisher.accept(RouteTable.EMPTY); // the statistics page serves before the first service
            ServiceRegistry registry = new ServiceRegistry(publisher, proxy::streams, globalRules,
                    (certificate, pem) -> serve(certificates, certificate, pem));
            String instance = UUID.randomUUID().toString();
            Supplier<ReplicaState> state = () -> new ReplicaState(instance, registry.services(),
                    certificates.putAtRunTime());
            metrics.watch(registry);
            Set<Integer> listened = new HashSet<>(proxy.ports());
            listened.addAll(proxy.httpsPorts());
            registry.onApply(new UnlistenedPorts(listened));
            metrics.watchTasks(proxy::tasks);
            metrics.watchCertificates(() -> proxy.certificates().certificates());
            environmentServices.forEach(registry::apply);
            stateFile = restore(environment.getOrDefault("STATE_FILE", ""), state, registry, certificates);
            copyFromPeers(settings, instance, registry, certificates);
            discovery = discover(settings.discovery(), registry, parser, metrics.discoveryObserver(), taskDirectory);
            discovery.ifPresent(metrics::watch);
            proxy.accept();
            Optional<SwarmDiscovery> discovered = discovery;
            Readiness readiness = new Readiness();
            boolean pull = !settings.replicas().listenerAddresses().isEmpty();
            if (pull) {
                readiness.awaitingPull();
            }
            ListenerPull listenerPull = ListenerPull.of(settings.replicas(), parser, registry, readiness::pulled);
            ConfigVersion version = new ConfigVersion(registry);
            ConfigApiServer api = ConfigApiServer.start(settings.apiAddress(), settings.apiPort(), registry, parser,
                    metrics, readiness, settings.apiAccess(), () -> discovered.<Map<String, String>>map(
                            d -> d.quarantine().reasons()).orElse(Map.of()), settings.replicas(), certificates,
                    state, listenerPull, board, new Dashboard(registry, environmentServices, proxy::tasks,
                            metrics.traffic(), certificates, discovered, version), version);
            Optional<AutomaticCertificates> acme = automaticHttps(acmeSettings, settings, environment, instance,
                    api.replicas(), board, certificates, registry, metrics);
            awaitTls(tlsPrepared);
            log.info("Swarmgate started: proxy on port(s) {}, configuration API on {}:{} ({}), HTTPS on {}, {} "
                    + "service(s) from the environment", proxy.ports(), settings.apiAddress(), api.port(),
                    settings.apiAccess(), proxy.httpsPorts(), environmentServices.size());
            if (settings.apiAccess().isOpen()) {
                log.warn("The configuration API is open to anyone who reaches port {}: do not publish it, or set "
                        + "CONFIG_API_TOKEN or CONFIG_API_USERS", api.port());
            }
            if (pull) {
                listenerPull.start();
            }
            return new SwarmgateServer(proxy, registry, discovery, listenerPull, stateFile, api, readiness, acme);
        } catch (RuntimeException e) {
            discovery.ifPresent(SwarmDiscovery::close);
            stateFile.ifPresent(StateFile::close);
            proxy.stop();
            throw e;
        }
    }

    /**
     * Loads the TLS implementation and makes the default certificate in the background: they take a good part of a
     * second, during which the plain listeners already serve the environment's routes.
     */
    private static CompletableFuture<Void> prepareTls(ProxyServer proxy) {
        return CompletableFuture.runAsync(() -> {
            proxy.certificates().prepare();
            log.info("HTTPS by {}", OpenSsl.isAvailable() ? "OpenSSL (" + OpenSsl.versionString() + ")"
                    : "the JDK's TLS, OpenSSL did not load: " + OpenSsl.unavailabilityCause().getMessage());
        }, task -> {
            Thread thread = new Thread(task, "swarmgate-tls-start");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private static void awaitTls(CompletableFuture<Void> prepared) {
        try {
            prepared.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static AcmeSettings acmeSettings(Map<String, String> environment) {
        try {
            return AcmeSettings.fromEnvironment(environment);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * With {@code ACME_ENABLED}, keeps a certificate for every service's {@code letsencrypt.host} names. Replicas
     * agree on who orders through a Swarm config when the Docker socket leads to a swarm manager; without one this
     * replica is taken to be alone, and orders.
     */
    private static Optional<AutomaticCertificates> automaticHttps(AcmeSettings acme, ServerSettings settings,
                                                                  Map<String, String> environment, String instance,
                                                                  Replicas replicas, ChallengeBoard board,
                                                                  ServedCertificates certificates,
                                                                  ServiceRegistry registry, SwarmgateMetrics metrics) {
        if (!acme.enabled()) {
            return Optional.empty();
        }
        String dockerHost = settings.discovery() != null ? settings.discovery().dockerHost()
                : environment.getOrDefault("DOCKER_HOST", DiscoverySettings.DEFAULT_DOCKER_HOST);
        OrderLock lock = swarmLock(dockerHost, instance);
        AutomaticCertificates automatic = new AutomaticCertificates(acme, board, replicas, lock,
                new ReplicatedCertificates(certificates, replicas), metrics::acmeOrder, Clock.systemUTC(),
                new SecureRandom());
        registry.follow(automatic::serviceApplied, automatic::serviceRemoved);
        log.info("Automatic HTTPS on: certificates from {}, {} validation, orders agreed on {}", acme.directory(),
                acme.challenge().id(), lock instanceof SwarmOrderLock ? "through Swarm configs" : "by this replica "
                        + "alone (no swarm manager at " + dockerHost + ")");
        return Optional.of(automatic);
    }

    private static OrderLock swarmLock(String dockerHost, String instance) {
        DockerEngine engine = DockerEngine.connect(dockerHost);
        try {
            if (engine.isSwarmManager()) {
                return new SwarmOrderLock(engine, instance, Clock.systemUTC());
            }
        } catch (DockerUnavailableException e) {
            log.debug("No Docker engine for the ACME order lock: {}", e.getMessage());
        }
        try {
            engine.close();
        } catch (IOException e) {
            log.debug("Closing the Docker client: {}", e.toString());
        }
        return new LocalOrderLock();
    }

    /**
     * The services and certificates of {@code STATE_FILE} (when set) are applied, and every later change is saved
     * there, so a restarted replica serves its table at once.
     */
    private static Optional<StateFile> restore(String path, Supplier<ReplicaState> state, ServiceRegistry registry,
                                               ServedCertificates certificates) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Path file = Path.of(path);
        StateFile.read(file).ifPresent(saved -> StateAdoption.adopt(saved, file.toString(), registry, certificates));
        StateFile stateFile = new StateFile(file, state);
        registry.onChange(stateFile::changed);
        certificates.onChange(stateFile::changed);
        return Optional.of(stateFile);
    }

    /**
     * Inside a swarm (or with {@code REPLICA_DNS_SERVER}), copies the largest state of the other replicas before the
     * API opens and readiness turns 200. Their endpoint holds secrets, so it needs the API's credentials: with an open
     * API there is nothing to copy, and routes come from Swarm, the listener and the API alone.
     */
    private static void copyFromPeers(ServerSettings settings, String instance, ServiceRegistry registry,
                                      ServedCertificates certificates) {
        boolean inSwarm = settings.replicas().nameServer() != null || DefaultDiscoveryType.dockerDns(RESOLV_CONF);
        if (!inSwarm || settings.apiPort() == 0) {
            return;
        }
        if (settings.apiAccess().isOpen()) {
            log.info("Not copying the other replicas' routes: the API is open (CONFIG_API_TOKEN or CONFIG_API_USERS "
                    + "lets replicas share them)");
            return;
        }
        LoopResources loops = HttpResources.get();
        EventLoopGroup group = loops.onClient(true);
        try (Peers peers = new Peers(settings.replicas(), group.next(),
                loops.onChannelClass(DatagramChannel.class, group))) {
            new PeerSync().fetch(peers, settings.apiPort(), instance, settings.apiAccess().authorization())
                    .ifPresent(peer -> StateAdoption.adopt(peer.state(), "replica " + peer.address(), registry,
                            certificates));
        }
    }

    /**
     * Starts discovery before the API opens, so the swarm's services are routed by the time it answers; it keeps
     * {@code tasks} up to date, which otherwise leaves every service to DNS.
     */
    private static Optional<SwarmDiscovery> discover(DiscoverySettings settings, ServiceRegistry registry,
                                                     ReconfigureParameters parser, DiscoveryObserver observer,
                                                     TaskDirectory tasks) {
        if (settings == null) {
            log.info("Swarm discovery off by the settings: routes come from the API and the environment alone");
            return Optional.empty();
        }
        return SwarmDiscovery.startIfSwarmManager(settings, registry, parser, observer, tasks);
    }

    /** The data plane's socket implementation ({@code TRANSPORT}). */
    private static SocketTransport transport(String value) {
        for (SocketTransport transport : SocketTransport.values()) {
            if (transport.name().equalsIgnoreCase(value)) {
                return transport;
            }
        }
        throw new IllegalStateException("TRANSPORT: " + value + " (expected: auto, io_uring, epoll or nio)");
    }

    /** The user's error pages ({@code <status>.html}) in {@code ERROR_PAGES_DIR}, if it exists. */
    private static ErrorPages errorPages(Path directory) {
        try {
            return ErrorPages.fromDirectory(directory);
        } catch (IOException e) {
            throw new IllegalStateException("ERROR_PAGES_DIR: cannot read " + directory + ": " + e, e);
        }
    }

    /**
     * The certificates found at start (one that cannot be served is logged and skipped), and the client authorities
     * of {@code CA_FILE} for {@code verifyClientSsl}, served as {@code policy} says.
     */
    private static CertificateStore certificates(TlsSettings tls, String caFile, String preferred, TlsPolicy policy) {
        CertificateStore store;
        try {
            List<X509Certificate> authorities = caFile.isEmpty() ? List.of()
                    : ServerCertificate.parseAuthorities("CA_FILE", Files.readString(Path.of(caFile)));
            store = CertificateStore.of(List.of(), authorities, policy);
        } catch (InvalidCertificateException | IOException e) {
            throw new IllegalStateException("CA_FILE: " + e.getMessage(), e);
        }
        try {
            store = store.preferring(CertificatePreference.of(preferred));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("PREFERRED_CERTIFICATE: " + e.getMessage(), e);
        }
        for (ServerCertificate certificate : CertificateFiles.load(tls)) {
            try {
                store = store.with(certificate);
            } catch (InvalidCertificateException e) {
                log.error("Skipping certificate: {}", e.getMessage());
            }
        }
        return store;
    }

    /** A service's certificate the TLS implementation refuses is refused with the service (400). */
    private static void serve(ServedCertificates certificates, ServerCertificate certificate, String pem) {
        try {
            certificates.serve(certificate, pem);
        } catch (InvalidCertificateException e) {
            throw InvalidServiceException.badRequest("serviceCert: " + e.getMessage());
        }
    }

    /** The configuration API's bound port. */
    public int apiPort() {
        return api.port();
    }

    /** The data plane's bound HTTPS ports, in the order of the settings. */
    public List<Integer> httpsPorts() {
        return proxy.httpsPorts();
    }

    /** The data plane's bound ports, in the order of the settings. */
    public List<Integer> proxyPorts() {
        return proxy.ports();
    }

    public ServiceRegistry registry() {
        return registry;
    }

    /** Whether routes are being discovered from a swarm. */
    public boolean discovers() {
        return discovery.isPresent();
    }

    /**
     * Stops gracefully: readiness turns to 503 at once, the data plane drains (up to its grace period), then the API
     * closes, so health checks see the drain. Runs once; later calls return.
     */
    public synchronized void stop() {
        if (stopped.getCount() == 0) {
            return;
        }
        readiness.draining();
        discovery.ifPresent(SwarmDiscovery::close);
        listenerPull.close();
        acme.ifPresent(AutomaticCertificates::close);
        try {
            proxy.stop();
        } finally {
            api.stop();
            stateFile.ifPresent(StateFile::close);
            stopped.countDown();
            log.info("Swarmgate stopped");
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Blocks until {@link #stop()} has finished, e.g. when called from a shutdown hook. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }
}
