package io.swarmgate.api.replicas;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.channel.ChannelOption;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A starting replica copies the state of its peers, as Docker Flow Proxy copies their certificates: every address of
 * {@code tasks.<SERVICE_NAME>} is asked for {@value #PATH}, and the largest state another replica answers wins. Routes
 * that reached a replica only through the API are then served by the new one before it reports ready. Bounded: a
 * peer that does not answer in time, or answers more than a state can hold, is skipped, and no peer at all is a normal
 * start.
 */
public final class PeerSync {
    /** The peers' endpoint; it answers only to callers with the API's credentials. */
    public static final String PATH = "/v1/swarmgate/replica-state";
    private static final Logger log = LoggerFactory.getLogger(PeerSync.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** Some ten thousand services with their certificates; a peer answering more is not a replica. */
    private static final int MAX_STATE_BYTES = 64 << 20;

    private final int maxStateBytes;
    private final HttpClient client = HttpClient.create(ConnectionProvider.newConnection())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TIMEOUT.toMillis())
            .responseTimeout(TIMEOUT);

    public PeerSync() {
        this(MAX_STATE_BYTES);
    }

    /** @param maxStateBytes the largest answer read from a peer */
    public PeerSync(int maxStateBytes) {
        this.maxStateBytes = maxStateBytes;
    }

    /**
     * The largest state of another replica, empty when none answered.
     *
     * @param self          this replica's instance, whose own answer is ignored
     * @param authorization the header proving the API's credentials, or null when the API is open (peers then refuse)
     */
    public Optional<PeerState> fetch(Peers peers, int apiPort, String self, String authorization) {
        HttpClient request = authorization == null ? client
                : client.headers(headers -> headers.set("Authorization", authorization));
        try {
            List<InetAddress> addresses = peers.addresses().block(TIMEOUT);
            return Flux.fromIterable(addresses == null ? List.of() : addresses)
                    .flatMap(address -> request.get().uri("http://" + hostPort(address, apiPort) + PATH)
                            .response((response, body) -> response.status().code() == 200
                                    ? bounded(body.asByteArray())
                                    : Mono.error(new IllegalStateException("answered " + response.status().code())))
                            .single()
                            .map(json -> new PeerState(address.getHostAddress(),
                                    parse(json, "replica " + address.getHostAddress())))
                            .onErrorResume(e -> {
                                log.warn("No state from replica {}: {}", address.getHostAddress(),
                                        Exceptions.unwrap(e).toString());
                                return Mono.empty();
                            }))
                    .filter(peer -> !peer.state().instance().equals(self))
                    .collectList()
                    .blockOptional(TIMEOUT.multipliedBy(2))
                    .flatMap(states -> states.stream()
                            .max(Comparator.comparingInt((PeerState p) -> p.state().services().size())
                                    .thenComparingInt(p -> p.state().certificates().size())));
        } catch (RuntimeException e) {
            log.info("No peer to copy the state from ({} does not resolve: {})", peers.name(),
                    Exceptions.unwrap(e).toString());
            return Optional.empty();
        }
    }

    /** The answer as text, or an error as soon as it is longer than a state can be: it is never held whole. */
    private Mono<String> bounded(Flux<byte[]> chunks) {
        return chunks.reduceWith(ByteArrayOutputStream::new, (answer, chunk) -> {
            if (answer.size() + chunk.length > maxStateBytes) {
                throw new IllegalStateException("answered more than " + maxStateBytes + " bytes");
            }
            answer.writeBytes(chunk);
            return answer;
        }).map(answer -> answer.toString(StandardCharsets.UTF_8));
    }

    private static ReplicaState parse(String json, String source) {
        try {
            return ReplicaState.fromJson(json, source);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not a replica state: " + e.getMessage(), e);
        }
    }

    private static String hostPort(InetAddress address, int port) {
        String host = address.getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** A peer's state and where it came from. */
    public record PeerState(String address, ReplicaState state) {
    }
}
