package io.swarmgate.api.replicas;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.InetAddress;
import java.util.List;
import reactor.core.publisher.Mono;

/** The addresses of every replica, this one included: what {@code tasks.<SERVICE_NAME>} resolves to now. */
public final class Peers implements AutoCloseable {
    private final ReplicaSettings settings;
    private final DnsNameResolver resolver;

    /** @param loop runs the resolver's channel, whose type is {@code channelType} */
    public Peers(ReplicaSettings settings, EventLoop loop, Class<? extends DatagramChannel> channelType) {
        this.settings = settings;
        DnsNameResolverBuilder builder = new DnsNameResolverBuilder(loop)
                .datagramChannelType(channelType)
                // Tasks come and go: each fan-out asks again.
                .resolveCache(NoopDnsCache.INSTANCE);
        if (settings.nameServer() != null) {
            builder.nameServerProvider(new SingletonDnsServerAddressStreamProvider(settings.nameServer()));
        }
        resolver = builder.build();
    }

    /** The name asked for. */
    public String name() {
        return settings.tasksName();
    }

    /** The proxy's Swarm service name. */
    public String serviceName() {
        return settings.serviceName();
    }

    /** Every address the name has; an error when it has none or the lookup fails. */
    public Mono<List<InetAddress>> addresses() {
        return Mono.create(sink -> resolver.resolveAll(name()).addListener(done -> {
            if (done.isSuccess()) {
                @SuppressWarnings("unchecked")
                List<InetAddress> addresses = (List<InetAddress>) done.getNow();
                sink.success(addresses);
            } else {
                sink.error(done.cause());
            }
        }));
    }

    @Override
    public void close() {
        resolver.close();
    }
}
