package io.swarmgate.api.http;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.swarmgate.api.acme.ChallengeAnswer;
import io.swarmgate.api.acme.ChallengeBoard;
import io.swarmgate.api.acme.Replicas;
import io.swarmgate.api.certs.ServedCertificates;
import io.swarmgate.api.dashboard.Dashboard;
import io.swarmgate.api.dashboard.StateQuery;
import io.swarmgate.api.replicas.PeerSync;
import io.swarmgate.api.replicas.ReplicaState;
import io.swarmgate.api.json.DfpJson;
import io.swarmgate.api.metrics.SwarmgateMetrics;
import io.swarmgate.api.replicas.FanOut;
import io.swarmgate.api.replicas.ListenerPull;
import io.swarmgate.api.replicas.Peers;
import io.swarmgate.api.replicas.ConfigVersion;
import io.swarmgate.api.replicas.ReplicaSettings;
import io.swarmgate.api.replicas.ReplicaVersions;
import io.swarmgate.api.stats.StatsCsv;
import io.swarmgate.config.GoBooleans;
import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.proxy.ProxyServer;
import io.swarmgate.proxy.tls.InvalidCertificateException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * The Docker Flow Proxy compatible configuration API on Reactor Netty. Every endpoint accepts any method; a path with a
 * trailing slash is redirected to the path without it, and an unknown path gets Go's plain 404, as DFP's router does.
 */
public final class ConfigApiServer {
    private static final Logger log = LoggerFactory.getLogger(ConfigApiServer.class);
    private static final String BASE = "/v1/docker-flow-proxy/";
    private static final int MAX_CERTIFICATE_BYTES = 1 << 20;
    /** Answered apart from {@link #endpoints}: a pull from the listeners completes later. */
    private static final String RELOAD = BASE + "reload";
    /** Longer than the fan-out's own timeout, so that its answer, not this, ends the wait. */
    private static final Duration REPLICAS_TIMEOUT = Duration.ofSeconds(15);
    /** The dashboard's JSON, which its page polls: under the page's path, so the page's credentials cover it. */
    static final String DASHBOARD_STATE = "/dashboard/state.json";

    private final Map<String, Function<Map<String, List<String>>, ApiAnswer>> endpoints;
    /** The endpoints that {@code distribute=true} sends to every replica, with their checks. */
    private final Map<String, Function<Map<String, List<String>>, Distribution.Checked>> distributable;
    private final LoopResources loops;
    private final Peers peers;
    private final Distribution distribution;
    private final FanOut fanOut;
    private final DisposableServer server;
    private final ApiAccess access;
    private final CertEndpoints certs;
    private final ReloadEndpoint reload;
    private final Dashboard dashboard;
    private final DashboardPages pages = new DashboardPages();
    private final ReplicaVersions replicaVersions;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("swarmgate-traffic-sample", true));
    /**
     * Makes the dashboard's states, one at a time, off the API's one event loop: a search reads every service (34 ms
     * at 100,000), and a reconfigure, a ping or a scrape arriving meanwhile would wait for it.
     */
    private final ExecutorService dashboardMaker = Executors.newSingleThreadExecutor(
            new DefaultThreadFactory("swarmgate-dashboard", true));

    private ConfigApiServer(String host, int port, DfpEndpoints dfp, SwarmgateMetrics metrics, Readiness readiness,
                            ApiAccess access, ReplicaSettings replicas, CertEndpoints certs,
                            Supplier<ReplicaState> state, ServiceRegistry registry, ListenerPull listeners,
                            ChallengeBoard challenges, Dashboard dashboard) {
        this.access = access;
        this.certs = certs;
        this.dashboard = dashboard;
        endpoints = Map.ofEntries(
                Map.entry(BASE + "reconfigure", dfp::reconfigure),
                Map.entry(BASE + "remove", dfp::remove),
                Map.entry(BASE + "config", dfp::config),
                Map.entry(BASE + "config/version", query -> dfp.version()),
                Map.entry(BASE + "ping", query -> dfp.ping()),
                Map.entry("/v1/test", query -> ApiAnswer.json(200, DfpJson.okMessage("Test v1"))),
                Map.entry("/v2/test", query -> ApiAnswer.json(200, DfpJson.okMessage("Test v2"))),
                Map.entry(BASE + "certs", query -> certs.list()),
                // DFP's image health check: 500 until the start-up pull from the listener (LISTENER_ADDRESS) worked.
                Map.entry(BASE + "successfulinitreload",
                        query -> ApiAnswer.text(readiness.hasPulled() ? 200 : 500, "")),
                Map.entry("/metrics", query -> ApiAnswer.prometheus(metrics.scrape())),
                Map.entry(BASE + "metrics", query -> ApiAnswer.text(200, StatsCsv.render(metrics.stats()))),
                // Liveness, the image's health check: the process answers.
                Map.entry("/ping", query -> ApiAnswer.text(200, "OK\n")),
                Map.entry(PeerSync.PATH, query -> replicaState(access, state)),
                Map.entry(ChallengeAnswer.PATH, query -> challengeAnswer(challenges, query)),
                Map.entry("/ready", query -> readiness.isReady() ? ApiAnswer.text(200, "ready\n")
                        : ApiAnswer.text(503, "draining\n")));
        distributable = Map.of(
                BASE + "reconfigure", dfp::checkReconfigure,
                BASE + "remove", dfp::checkRemove);
        loops = LoopResources.create("swarmgate-api", 1, true);
        // One thread for the server, the fan-out's connections and its DNS: answers complete where they were asked.
        EventLoopGroup loop = loops.onServer(true);
        peers = new Peers(replicas, loop.next(), loops.onChannelClass(DatagramChannel.class, loop));
        fanOut = new FanOut(loop);
        distribution = new Distribution(peers, fanOut, this::port);
        reload = new ReloadEndpoint(registry, listeners, loop);
        replicaVersions = new ReplicaVersions(peers, fanOut, this::port, access.authorization());
        // The dashboard's charts: a reading of the meters each second, on a thread of its own, so that neither the
        // data plane nor a request to the API waits for it; the meters of removed services go first.
        sampler.scheduleAtFixedRate(() -> {
            try {
                metrics.forgetRemovedServices();
                dashboard.sample();
            } catch (RuntimeException e) {
                log.error("Forgetting removed services or sampling the dashboard's traffic failed", e);
            }
        }, 1, 1, TimeUnit.SECONDS);
        try {
            server = HttpServer.create()
                    .host(host)
                    .port(port)
                    .runOn(loops)
                    .handle(this::handle)
                    .bindNow(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            sampler.shutdownNow();
            dashboardMaker.shutdownNow();
            peers.close();
            loops.dispose();
            Throwable cause = e; // Reactor Netty's message leaves out the socket's error
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String inUse = String.valueOf(cause.getMessage()).contains("Address already in use")
                    ? " (another process listens there: stop it, or set PORT to another port)" : "";
            throw new IllegalStateException("cannot bind the configuration API to " + host + ":" + port + ": "
                    + cause.getMessage() + inUse, e);
        }
    }

    /**
     * Binds the API; returns once it accepts connections.
     *
     * @param host address to bind, e.g. {@code 0.0.0.0}
     * @param port port to bind, 0 for a free one
     * @param quarantined Swarm services whose labels discovery rejected, and why
     * @param replicas    where {@code distribute=true} finds the other replicas
     * @param listeners   what {@code reload?fromListener=true} pulls from
     * @param dashboard   what {@code /dashboard/} shows
     * @param version     what {@code config/version} answers, the one the dashboard shows
     */
    public static ConfigApiServer start(String host, int port, ServiceRegistry registry, ReconfigureParameters parser,
                                        SwarmgateMetrics metrics, Readiness readiness, ApiAccess access,
                                        Supplier<Map<String, String>> quarantined, ReplicaSettings replicas,
                                        ServedCertificates certificates, Supplier<ReplicaState> state,
                                        ListenerPull listeners, ChallengeBoard challenges, Dashboard dashboard,
                                        ConfigVersion version) {
        return new ConfigApiServer(host, port, new DfpEndpoints(registry, parser, metrics, quarantined, version),
                metrics, readiness, access, replicas, new CertEndpoints(certificates), state, registry, listeners,
                challenges, dashboard);
    }

    /** A replica orders a certificate and hands this one a validation to answer, or takes it back. */
    private static ApiAnswer challengeAnswer(ChallengeBoard challenges, Map<String, List<String>> query) {
        try {
            ChallengeAnswer answer = ChallengeAnswer.of(query);
            if (GoBooleans.parse(String.join("", query.getOrDefault("remove", List.of("false")))) == Boolean.TRUE) {
                challenges.withdraw(answer);
            } else {
                challenges.answer(answer);
            }
            return ApiAnswer.text(200, "OK\n");
        } catch (IllegalArgumentException | InvalidCertificateException e) {
            return ApiAnswer.json(400, DfpJson.failure(e.getMessage(), ""));
        }
    }

    /**
     * The other replicas as automatic HTTPS reaches them: the same fan-out as {@code distribute=true}, with this
     * replica's own credentials. Outside a swarm no replica is found, and the call sends nothing.
     */
    public Replicas replicas() {
        return (method, pathAndQuery, body) -> peers.addresses()
                .flatMap(addresses -> fanOut.send(addresses, port(), method, pathAndQuery, body,
                        access.authorization()))
                .onErrorResume(e -> {
                    log.debug("No other replica found ({}): {} stays here", e.toString(), pathAndQuery);
                    return Mono.just(List.of());
                })
                .block(REPLICAS_TIMEOUT);
    }

    /** The state a new replica copies: secrets included, so never from an open API. */
    private static ApiAnswer replicaState(ApiAccess access, Supplier<ReplicaState> state) {
        return access.isOpen()
                ? ApiAnswer.json(403, DfpJson.failure("The replica state holds secrets: it is shared only when the "
                        + "API is protected (CONFIG_API_TOKEN or CONFIG_API_USERS)", ""))
                : ApiAnswer.json(200, state.get().toJson());
    }

    public int port() {
        return server.port();
    }

    public void stop() {
        sampler.shutdownNow();
        dashboardMaker.shutdownNow();
        server.disposeNow(Duration.ofSeconds(5));
        peers.close();
        // No quiet period: the server is closed, nothing can submit work to these loops any more.
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block();
    }

    /**
     * Answers on the event loop, registry writes included: they are short and never wait for I/O. Completing the
     * answer on another thread would also expose Reactor Netty's keep-alive race, in which the client's next request
     * on the connection is never read (reactor/reactor-netty#4188, #4361). A distributed request waits for the other
     * replicas, but on the same thread: the fan-out runs on the API's one event loop.
     */
    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String authorization = request.requestHeaders().get("Authorization");
        return Mono.defer(() -> {
                    Target target;
                    try {
                        target = Target.of(request.uri());
                    } catch (IllegalArgumentException e) {
                        return Mono.just(ApiAnswer.json(400,
                                DfpJson.failure("malformed request target: " + e.getMessage(), "")));
                    }
                    if (!access.admits(target.path(), authorization)) {
                        return Mono.just(ApiAnswer.unauthorized(access.challenge(target.path())));
                    }
                    if (target.path().equals(BASE + "cert")) {
                        return certificateUpload(request, target, authorization);
                    }
                    return answer(request.method().name(), target, authorization);
                })
                .onErrorResume(e -> {
                    log.error("Configuration API failed on {}", request.uri(), e);
                    return Mono.just(ApiAnswer.json(500, DfpJson.failure("internal error; see the proxy's log", "")));
                })
                .flatMap(answer -> {
                    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                    response.status(answer.status()).header("Content-Length", Integer.toString(body.length));
                    answer.headers().forEach(response::header);
                    return response.sendByteArray(Mono.just(body)).then();
                });
    }

    /** DFP's {@code PUT cert}: the body is a PEM bundle, at most {@link #MAX_CERTIFICATE_BYTES}. */
    private Mono<ApiAnswer> certificateUpload(HttpServerRequest request, Target target, String authorization) {
        String length = request.requestHeaders().get("Content-Length");
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 12
                && Long.parseLong(length) > MAX_CERTIFICATE_BYTES) {
            return Mono.just(ApiAnswer.json(413, DfpJson.certFailure("Body is larger than "
                    + MAX_CERTIFICATE_BYTES + " bytes")));
        }
        return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .flatMap(body -> ReconfigureParameters.distribute(target.parameters())
                        ? distribution.answer(request.method().name(), target.path(), target.parameters(), body,
                                query -> certs.check(query, body), authorization)
                        : Mono.just(certs.put(target.parameters(), body)));
    }

    private Mono<ApiAnswer> answer(String method, Target target, String authorization) {
        String path = target.path();
        Map<String, List<String>> parameters = target.parameters();
        if (path.equals(DASHBOARD_STATE)) {
            StateQuery query;
            try {
                query = StateQuery.of(parameters);
            } catch (IllegalArgumentException e) {
                return Mono.just(ApiAnswer.json(400, DfpJson.failure(e.getMessage(), "")));
            }
            return replicaVersions.view().flatMap(replicas -> Mono.fromFuture(CompletableFuture.supplyAsync(
                    () -> ApiAnswer.json(200, dashboard.state(replicas, query)), dashboardMaker)));
        }
        if (DashboardPages.serves(path)) {
            return Mono.just(pages.answer(path));
        }
        var check = distributable.get(path);
        if (check != null && ReconfigureParameters.distribute(parameters)) {
            return distribution.answer(method, path, parameters, null, check, authorization);
        }
        if (path.equals(RELOAD)) {
            return reload.answer(parameters);
        }
        if (path.equals(BASE + "metrics") && ReconfigureParameters.distribute(parameters)) {
            return distribution.concatenate(path, parameters, authorization);
        }
        return Mono.just(answer(target));
    }

    private ApiAnswer answer(Target target) {
        String path = target.path();
        Map<String, List<String>> parameters = target.parameters();
        var endpoint = endpoints.get(path);
        if (endpoint != null) {
            return endpoint.apply(parameters);
        }
        String rawPath = target.decoded().rawPath();
        String withoutSlash = path.substring(0, Math.max(path.length() - 1, 0));
        if (rawPath.length() > 1 && rawPath.endsWith("/")
                && (endpoints.containsKey(withoutSlash) || withoutSlash.equals(RELOAD))) {
            String query = target.decoded().rawQuery();
            String location = rawPath.substring(0, rawPath.length() - 1) + (query.isEmpty() ? "" : "?" + query);
            return ApiAnswer.movedPermanently(location);
        }
        return ApiAnswer.notFound();
    }

    /**
     * A request target decoded once, path and parameters, or refused with a 400: a malformed escape such as {@code %zz}
     * is the client's error. Semicolons are part of values (header values such as "max-age=1; includeSubDomains"), not
     * separators.
     */
    private record Target(QueryStringDecoder decoded, String path, Map<String, List<String>> parameters) {
        static Target of(String uri) {
            QueryStringDecoder decoded = new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, 1024, true);
            return new Target(decoded, decoded.path(), decoded.parameters());
        }
    }
}
