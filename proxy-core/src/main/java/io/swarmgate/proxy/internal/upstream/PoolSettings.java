package io.swarmgate.proxy.internal.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import io.swarmgate.proxy.internal.io.Buffers;
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

    /** A client bootstrap on {@code loop} with these settings, its handler still to set. */
    Bootstrap bootstrap(EventLoop loop) {
        return new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .resolver(resolver)
                .option(ChannelOption.ALLOCATOR, Buffers.ALLOCATOR)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
    }
}
