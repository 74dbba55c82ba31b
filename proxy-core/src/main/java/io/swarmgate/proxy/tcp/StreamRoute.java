package io.swarmgate.proxy.tcp;

import io.swarmgate.proxy.upstream.Backend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A TCP route: connections arriving on {@link #port()} are relayed, byte for byte, to the backend. A route with
 * {@linkplain #serverNames() server names} takes only TLS connections whose ClientHello names one of them (the TLS
 * session itself passes through untouched); one without is the port's default.
 */
public final class StreamRoute {
    /** How long a relay may stay silent in both directions when the route sets no timeout: DFP's tunnel timeout. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);

    private final String serviceName;
    private final String aclName;
    private final int index;
    private final int port;
    private final List<ServerNameRule> serverNames;
    private final Backend backend;
    private final Duration idleTimeout;
    private final boolean clientKeepAlive;

    private StreamRoute(Builder b) {
        this.serviceName = b.serviceName;
        this.aclName = b.aclName == null ? b.serviceName : b.aclName;
        this.index = b.index;
        this.port = b.port;
        this.serverNames = List.copyOf(b.serverNames);
        this.backend = b.backend;
        this.idleTimeout = b.idleTimeout;
        this.clientKeepAlive = b.clientKeepAlive;
    }

    public static Builder builder(String serviceName) {
        return new Builder(serviceName);
    }

    public String serviceName() {
        return serviceName;
    }

    public String aclName() {
        return aclName;
    }

    /** The destination's index (0 for the un-indexed one). */
    public int index() {
        return index;
    }

    /** The proxy port it listens on. */
    public int port() {
        return port;
    }

    /** The SNI names it takes; empty for the port's default route. */
    public List<ServerNameRule> serverNames() {
        return serverNames;
    }

    public Backend backend() {
        return backend;
    }

    /** How long the relay may carry no byte in either direction before both connections are closed. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Whether the client connection gets TCP keep-alive ({@code clitcpka}). */
    public boolean clientKeepAlive() {
        return clientKeepAlive;
    }

    /** Whether the ClientHello's name (lower-cased, or {@code null} when it named none) is one of this route's. */
    public boolean matches(String serverName) {
        for (ServerNameRule rule : serverNames) {
            if (rule.matches(serverName)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return serviceName + (index == 0 ? "" : "." + index) + " :" + port
                + (serverNames.isEmpty() ? "" : " " + serverNames) + " -> " + backend;
    }

    /** Collects a route's settings; {@link #build()} checks them. */
    public static final class Builder {
        private final String serviceName;
        private String aclName;
        private int index;
        private int port;
        private final List<ServerNameRule> serverNames = new ArrayList<>();
        private Backend backend;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private boolean clientKeepAlive;

        private Builder(String serviceName) {
            Objects.requireNonNull(serviceName, "serviceName");
            if (serviceName.isBlank()) {
                throw new IllegalArgumentException("serviceName: must not be blank");
            }
            this.serviceName = serviceName;
        }

        /** Orders routes on one port, as DFP's ACLs; default the service name. */
        public Builder aclName(String aclName) {
            this.aclName = Objects.requireNonNull(aclName, "aclName").isEmpty() ? null : aclName;
            return this;
        }

        public Builder index(int index) {
            this.index = index;
            return this;
        }

        /** The proxy port to listen on, 1-65535. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("srcPort: " + port + " (expected: 1-65535)");
            }
            this.port = port;
            return this;
        }

        /** Adds SNI names the route takes. */
        public Builder serverNames(List<ServerNameRule> rules) {
            serverNames.addAll(rules);
            return this;
        }

        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        public Builder backend(String host, int port) {
            return backend(Backend.of(host, port));
        }

        /** Default {@link #DEFAULT_IDLE_TIMEOUT}. */
        public Builder idleTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "idleTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout: " + timeout + " (expected: a positive duration)");
            }
            this.idleTimeout = timeout;
            return this;
        }

        public Builder clientKeepAlive(boolean enabled) {
            this.clientKeepAlive = enabled;
            return this;
        }

        public StreamRoute build() {
            if (port == 0) {
                throw new IllegalStateException("srcPort: missing (expected: 1-65535)");
            }
            if (backend == null) {
                throw new IllegalStateException("backend: missing");
            }
            return new StreamRoute(this);
        }
    }
}
