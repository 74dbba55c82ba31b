package io.swarmgate.proxy;

import io.swarmgate.proxy.acme.AcmeChallenges;
import io.swarmgate.proxy.route.RouteTable;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.upstream.TaskAddresses;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ProxyServer} was built with: a copy taken by {@link ProxyServer.Builder#build()}, so the builder can be
 * changed or reused without touching a server it built. Each component is documented on the builder's setter.
 *
 * @param certificates null when none were given: TLS listeners then serve a self-signed certificate
 * @param nameServer   null to ask the servers of {@code /etc/resolv.conf}
 */
public record ProxySettings(List<Listener> http, List<Listener> https, @Nullable CertificateStore certificates,
                            String bindAddress, Timeouts timeouts, RouteTable routes, int ioThreads,
                            SocketTransport transport, Duration shutdownGrace, ProxyObserver observer,
                            Duration taskRefresh, TaskAddresses taskAddresses, int maxConnections,
                            int retryBufferBytes, ErrorPages errorPages, @Nullable InetSocketAddress nameServer,
                            boolean h2c, AcmeChallenges acmeChallenges, boolean http3,
                            TrustedProxies trustedProxies) {

    public ProxySettings {
        http = List.copyOf(http);
        https = List.copyOf(https);
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(taskRefresh, "taskRefresh");
        Objects.requireNonNull(taskAddresses, "taskAddresses");
        Objects.requireNonNull(errorPages, "errorPages");
        Objects.requireNonNull(acmeChallenges, "acmeChallenges");
        Objects.requireNonNull(trustedProxies, "trustedProxies");
    }

    /** A port to listen on, and whether its connections start with a PROXY protocol header. */
    public record Listener(int port, boolean proxyProtocol) {
        @Override
        public String toString() {
            return proxyProtocol ? port + " accept-proxy" : Integer.toString(port);
        }
    }
}
