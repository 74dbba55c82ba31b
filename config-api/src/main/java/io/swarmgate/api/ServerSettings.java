package io.swarmgate.api;

import io.swarmgate.api.certs.TlsSettings;
import io.swarmgate.api.http.ApiAccess;
import io.swarmgate.api.replicas.ReplicaSettings;
import io.swarmgate.discovery.DiscoverySettings;
import io.swarmgate.proxy.Timeouts;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The static settings of a Swarmgate server, named after Docker Flow Proxy's environment variables.
 *
 * @param apiAddress the configuration API's bind address ({@code IP})
 * @param apiPort    the configuration API's port ({@code PORT}), 0 for a free one
 * @param proxyPorts the data plane's plain HTTP ports ({@code DEFAULT_PORTS} then {@code BIND_PORTS}), 0 for a free one
 * @param separator  list separator of reconfigure parameters ({@code SEPARATOR})
 * @param httpsOnly  redirect every service to https ({@code HTTPS_ONLY})
 * @param timeouts   the data plane's timeouts ({@code TIMEOUT_*})
 * @param shutdownGrace how long requests in flight may take to finish when the server stops ({@code GRACE_PERIOD})
 * @param maxConnections client connections the data plane serves at once ({@code MAX_CONNECTIONS})
 * @param discovery  how to discover routes from the swarm when a manager answers; null for none ({@code DISCOVERY=off})
 * @param apiAccess  who may use the configuration API ({@code CONFIG_API_TOKEN}, {@code CONFIG_API_USERS})
 * @param replicas   how {@code distribute=true} finds the other replicas ({@code SERVICE_NAME})
 * @param tls        the HTTPS ports ({@code :ssl} entries) and where certificates come from ({@code CERTS_DIR})
 * @param proxyProtocolPorts the ports, plain or HTTPS, whose connections start with a PROXY protocol header
 *                   ({@code accept-proxy} in {@code DEFAULT_PORTS} or {@code BIND_PORTS})
 */
public record ServerSettings(String apiAddress, int apiPort, List<Integer> proxyPorts, String separator,
                             boolean httpsOnly, Timeouts timeouts, Duration shutdownGrace, int maxConnections,
                             DiscoverySettings discovery, ApiAccess apiAccess, ReplicaSettings replicas,
                             TlsSettings tls, Set<Integer> proxyProtocolPorts) {
    /** Docker Flow Proxy's maxconn. */
    public static final int DEFAULT_MAX_CONNECTIONS = 5000;
    /** Docker's default stop_grace_period, so a task is drained before Swarm kills it. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

    public ServerSettings {
        Objects.requireNonNull(apiAddress, "apiAddress");
        proxyPorts = List.copyOf(proxyPorts);
        Objects.requireNonNull(tls, "tls");
        if (proxyPorts.isEmpty() && tls.ports().isEmpty()) {
            throw new IllegalArgumentException("proxyPorts: empty (expected: at least one port)");
        }
        Objects.requireNonNull(separator, "separator");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(apiAccess, "apiAccess");
        Objects.requireNonNull(replicas, "replicas");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("MAX_CONNECTIONS: " + maxConnections + " (expected: 1 or more)");
        }
        proxyProtocolPorts = Set.copyOf(proxyProtocolPorts);
    }

    /** Settings without a port that takes the PROXY protocol. */
    public ServerSettings(String apiAddress, int apiPort, List<Integer> proxyPorts, String separator,
                          boolean httpsOnly, Timeouts timeouts, Duration shutdownGrace, int maxConnections,
                          DiscoverySettings discovery, ApiAccess apiAccess, ReplicaSettings replicas,
                          TlsSettings tls) {
        this(apiAddress, apiPort, proxyPorts, separator, httpsOnly, timeouts, shutdownGrace, maxConnections,
                discovery, apiAccess, replicas, tls, Set.of());
    }

    /** Settings without swarm discovery: routes come from the API and the environment alone. */
    public ServerSettings(String apiAddress, int apiPort, List<Integer> proxyPorts, String separator,
                          boolean httpsOnly, Timeouts timeouts, Duration shutdownGrace) {
        this(apiAddress, apiPort, proxyPorts, separator, httpsOnly, timeouts, shutdownGrace, DEFAULT_MAX_CONNECTIONS,
                null, ApiAccess.OPEN, ReplicaSettings.DEFAULTS, TlsSettings.NONE);
    }

    /** Everything on free loopback ports, without discovery: for tests and embedding. */
    public static ServerSettings ephemeral() {
        return new ServerSettings("127.0.0.1", 0, List.of(0), ",", false, Timeouts.DEFAULTS, DEFAULT_SHUTDOWN_GRACE);
    }

    /** The same settings, discovering routes as {@code discovery} says (null: not at all). */
    public ServerSettings withDiscovery(DiscoverySettings discovery) {
        return new ServerSettings(apiAddress, apiPort, proxyPorts, separator, httpsOnly, timeouts, shutdownGrace,
                maxConnections, discovery, apiAccess, replicas, tls, proxyProtocolPorts);
    }

    /** The same settings, with the configuration API protected as {@code access} says. */
    public ServerSettings withApiAccess(ApiAccess access) {
        return new ServerSettings(apiAddress, apiPort, proxyPorts, separator, httpsOnly, timeouts, shutdownGrace,
                maxConnections, discovery, access, replicas, tls, proxyProtocolPorts);
    }

    /** The same settings, serving HTTPS as {@code tls} says. */
    public ServerSettings withTls(TlsSettings tls) {
        return new ServerSettings(apiAddress, apiPort, proxyPorts, separator, httpsOnly, timeouts, shutdownGrace,
                maxConnections, discovery, apiAccess, replicas, tls, proxyProtocolPorts);
    }

    /** The same settings, finding the other replicas as {@code replicas} says. */
    public ServerSettings withReplicas(ReplicaSettings replicas) {
        return new ServerSettings(apiAddress, apiPort, proxyPorts, separator, httpsOnly, timeouts, shutdownGrace,
                maxConnections, discovery, apiAccess, replicas, tls, proxyProtocolPorts);
    }
}
