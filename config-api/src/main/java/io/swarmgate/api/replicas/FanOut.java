package io.swarmgate.api.replicas;

import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufMono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Sends one API request to every replica at once, as Docker Flow Proxy's {@code distribute=true} does. */
public final class FanOut {
    /** A replica answers a reconfigure in milliseconds; one that takes this long is counted as failed. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client;

    /** @param loops the API server's own, so that the answers complete on the thread that answers the caller */
    public FanOut(EventLoopGroup loops) {
        // A connection per request: fan-outs are rare, and a pooled connection to a task that is gone only fails later.
        client = HttpClient.create(ConnectionProvider.newConnection())
                .runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TIMEOUT.toMillis())
                .responseTimeout(TIMEOUT);
    }

    /** One replica's answer: its status (0 when it gave none) and body. */
    public record Answer(String address, int status, String body) {
    }

    /**
     * Sends {@code method pathAndQuery} to {@code port} of every address, with the caller's credentials.
     *
     * @param body          the body to send, or null for none
     * @param authorization the {@code Authorization} header to pass on, or null
     * @return the addresses that did not answer 200, in the order given; empty when all did
     */
    public Mono<List<String>> send(List<InetAddress> addresses, int port, String method, String pathAndQuery,
                                   String body, String authorization) {
        return ask(addresses, port, method, pathAndQuery, body, authorization)
                .filter(answer -> answer.status() != 200)
                .map(Answer::address)
                .collectList();
    }

    /** Sends the request to every address, as {@link #send}; returns every answer, in the order given. */
    public Mono<List<Answer>> collect(List<InetAddress> addresses, int port, String method, String pathAndQuery,
                                      String authorization) {
        return ask(addresses, port, method, pathAndQuery, null, authorization).collectList();
    }

    private Flux<Answer> ask(List<InetAddress> addresses, int port, String method, String pathAndQuery,
                             String body, String authorization) {
        HttpClient request = authorization == null ? client
                : client.headers(headers -> headers.set("Authorization", authorization));
        return Flux.fromIterable(addresses)
                .flatMapSequential(address -> request.remoteAddress(() -> new InetSocketAddress(address, port))
                        .request(HttpMethod.valueOf(method))
                        .uri(pathAndQuery)
                        .send(body == null ? Mono.empty() : ByteBufMono.fromString(Mono.just(body)))
                        .responseSingle((response, answer) -> answer.asString().defaultIfEmpty("")
                                .map(text -> new Answer(address.getHostAddress(), response.status().code(), text)))
                        .onErrorReturn(new Answer(address.getHostAddress(), 0, "")));
    }
}
