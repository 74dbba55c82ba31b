package io.swarmgate.proxy.internal.upstream;

import io.netty.resolver.AddressResolverGroup;
import io.swarmgate.proxy.internal.io.Transport;
import java.net.InetSocketAddress;

/**
 * What a {@link BackendPool} is opened with: the server's settings for backend connections, handed over as values so
 * that the backend side needs nothing of the server's shared state.
 *
 * <p>Internal: public for {@code context} only.
 *
 * @param pooledIdleTimeoutNanos how long an idle connection is kept in the pool
 */
public record PoolSettings(Transport transport, AddressResolverGroup<InetSocketAddress> resolver,
                           int connectTimeoutMillis, long pooledIdleTimeoutNanos, BackendTls tls) {
}
