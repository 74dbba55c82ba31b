package io.swarmgate.proxy.route;

import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.upstream.Backend;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One destination of a service: which requests it takes (path prefixes, host names, entry port) and the backend that
 * serves them. Immutable; a {@link RouteTable} indexes many of them.
 *
 * <p>Paths are raw prefixes, as Docker Flow Proxy's {@code path_beg}: {@code /demo} takes {@code /demo},
 * {@code /demo/x} and {@code /demox}. Host names are exact ({@code example.com}) or wildcards on a label boundary
 * ({@code *.example.com} takes {@code a.example.com}, not {@code example.com} nor {@code badexample.com}).
 * An empty host list takes every host; an entry port of 0 takes every port.
 */
public final class Route {
    private final String serviceName;
    private final String aclName;
    private final int index;
    private final List<String> pathPrefixes;
    private final List<String> domains;
    private final int entryPort;
    private final Backend backend;
    private final RoutePolicies policies;
    private final RouteCondition condition;
    private final boolean defaultRoute;
    private final ConnectionMode connectionMode;
    private final UpgradeProtocols upgradeProtocols;

    private Route(Builder b) {
        this.serviceName = b.serviceName;
        this.aclName = b.aclName == null || b.aclName.isEmpty() ? b.serviceName : b.aclName;
        this.index = b.index;
        this.pathPrefixes = List.copyOf(b.pathPrefixes.isEmpty() ? List.of("/") : b.pathPrefixes);
        this.domains = List.copyOf(b.domains);
        this.entryPort = b.entryPort;
        this.backend = Objects.requireNonNull(b.backend, "backend");
        this.policies = b.policies;
        this.condition = b.condition;
        this.defaultRoute = b.defaultRoute;
        this.connectionMode = b.connectionMode;
        this.upgradeProtocols = b.upgradeProtocols;
    }

    public static Builder builder(String serviceName) {
        return new Builder(serviceName);
    }

    public String serviceName() {
        return serviceName;
    }

    /** Breaks ties between equally specific matches (ascending), as Docker Flow Proxy orders its rules. */
    public String aclName() {
        return aclName;
    }

    /** The destination index within its service: 0 for the un-indexed destination, N for {@code .N}. */
    public int index() {
        return index;
    }

    public List<String> pathPrefixes() {
        return pathPrefixes;
    }

    public List<String> domains() {
        return domains;
    }

    /** The proxy port the request must arrive on, or 0 for any. */
    public int entryPort() {
        return entryPort;
    }

    public Backend backend() {
        return backend;
    }

    /** The policies its exchanges go through; {@link RoutePolicies#NONE} when it has none. */
    public RoutePolicies policies() {
        return policies;
    }

    /** The protocol upgrades it relays: WebSocket, and those named in {@code upgradeProtocols}. */
    public UpgradeProtocols upgradeProtocols() {
        return upgradeProtocols;
    }

    /** What happens to the connections once an exchange is answered. */
    public ConnectionMode connectionMode() {
        return connectionMode;
    }

    /** The extra condition requests must satisfy, or {@code null}. */
    public RouteCondition condition() {
        return condition;
    }

    /** Whether it takes the requests no route matches ({@code isDefaultBackend}). */
    public boolean isDefault() {
        return defaultRoute;
    }

    boolean matches(CharSequence uri, int pathEnd, int localPort, CharSequence hostHeader, RequestHeaders headers) {
        return (entryPort == 0 || entryPort == localPort)
                && (condition == null || condition.test(uri, pathEnd, hostHeader, headers));
    }

    boolean hasConditions() {
        return entryPort != 0 || condition != null;
    }

    @Override
    public String toString() {
        return serviceName + "[" + index + "] paths=" + pathPrefixes + " domains=" + domains
                + (entryPort != 0 ? " port=" + entryPort : "") + " -> " + backend;
    }

    /** Builds a {@link Route}; each setter checks its value at once. */
    public static final class Builder {
        private final String serviceName;
        private String aclName;
        private int index;
        private final List<String> pathPrefixes = new ArrayList<>();
        private final List<String> domains = new ArrayList<>();
        private int entryPort;
        private Backend backend;
        private RoutePolicies policies = RoutePolicies.NONE;
        private RouteCondition condition;
        private boolean defaultRoute;
        private ConnectionMode connectionMode = ConnectionMode.KEEP_ALIVE;
        private UpgradeProtocols upgradeProtocols = UpgradeProtocols.WEBSOCKET;

        private Builder(String serviceName) {
            Objects.requireNonNull(serviceName, "serviceName");
            if (serviceName.isBlank()) {
                throw new IllegalArgumentException("serviceName: must not be blank");
            }
            this.serviceName = serviceName;
        }

        public Builder aclName(String aclName) {
            this.aclName = aclName;
            return this;
        }

        public Builder index(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("index: " + index + " (expected: 0 or more)");
            }
            this.index = index;
            return this;
        }

        public Builder path(String prefix) {
            pathPrefixes.add(checkPath(prefix));
            return this;
        }

        public Builder paths(Collection<String> prefixes) {
            prefixes.forEach(this::path);
            return this;
        }

        public Builder domain(String domain) {
            domains.add(checkDomain(domain));
            return this;
        }

        public Builder domains(Collection<String> names) {
            names.forEach(this::domain);
            return this;
        }

        public Builder entryPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("entryPort: " + port + " (expected: 0-65535, 0 for any)");
            }
            this.entryPort = port;
            return this;
        }

        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        public Builder backend(String host, int port) {
            return backend(Backend.of(host, port));
        }

        public Builder policies(RoutePolicies policies) {
            this.policies = Objects.requireNonNull(policies, "policies");
            return this;
        }

        /** A condition requests must also satisfy; {@code null} for none. */
        public Builder condition(RouteCondition condition) {
            this.condition = condition;
            return this;
        }

        public Builder connectionMode(ConnectionMode mode) {
            this.connectionMode = java.util.Objects.requireNonNull(mode, "connectionMode");
            return this;
        }

        /** Makes it take the requests that no route matches. */
        public Builder defaultRoute(boolean isDefault) {
            this.defaultRoute = isDefault;
            return this;
        }

        /** Relays upgrades to these protocols besides WebSocket ({@link UpgradeProtocols#of}, which checks them). */
        public Builder upgradeProtocols(UpgradeProtocols protocols) {
            this.upgradeProtocols = Objects.requireNonNull(protocols, "upgradeProtocols");
            return this;
        }

        public Route build() {
            if (backend == null) {
                throw new IllegalStateException("backend: not set for route of " + serviceName);
            }
            return new Route(this);
        }

        private static String checkPath(String prefix) {
            Objects.requireNonNull(prefix, "path");
            if (!prefix.startsWith("/")) {
                throw new IllegalArgumentException("path: '" + prefix + "' (expected: a prefix starting with /)");
            }
            return prefix;
        }

        private static String checkDomain(String domain) {
            Objects.requireNonNull(domain, "domain");
            String name = domain.toLowerCase(Locale.ROOT);
            String labels = name.startsWith("*.") ? name.substring(2) : name;
            if (!HostNames.isValid(labels)) {
                throw new IllegalArgumentException(
                        "domain: '" + domain + "' (expected: a host name such as example.com or *.example.com)");
            }
            return name;
        }
    }
}
