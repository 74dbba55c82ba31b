package io.swarmgate.api.replicas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.swarmgate.api.json.PlainJson;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;
import reactor.core.publisher.Mono;

/**
 * The configuration version of every replica, as each answers {@code config/version}: replicas that agree hold equal
 * tables. Asked at most once every {@link #REFRESH}, however many dashboards ask.
 */
public final class ReplicaVersions {
    private static final Duration REFRESH = Duration.ofSeconds(3);
    private static final String PATH = "/v1/docker-flow-proxy/config/version";

    /**
     * The replicas found, or why none was.
     *
     * @param name     the DNS name asked, {@code tasks.<SERVICE_NAME>}
     * @param replicas each address with its answer, in address order
     * @param problem  why no replica is listed (the name does not resolve outside a swarm); empty when they are
     */
    public record View(String name, List<Replica> replicas, String problem) {
    }

    /**
     * @param address  the replica's address
     * @param version  its configuration version, empty when it did not answer
     * @param services how many services it holds, -1 when it did not answer
     */
    public record Replica(String address, String version, int services) {
    }

    private final Mono<View> view;

    /**
     * @param apiPort       the API port, the same on every replica
     * @param authorization the credentials of this replica's API, which the others share; null when it is open
     */
    public ReplicaVersions(Peers peers, FanOut fanOut, IntSupplier apiPort, String authorization) {
        view = peers.addresses()
                .flatMap(addresses -> fanOut.collect(addresses, apiPort.getAsInt(), "GET", PATH, authorization))
                .map(answers -> new View(peers.name(), answers.stream().map(ReplicaVersions::replica).toList(), ""))
                .onErrorResume(e -> Mono.just(new View(peers.name(), List.of(), peers.name()
                        + " does not resolve (" + e.getMessage() + "): not a replica of a Swarm service, or "
                        + "SERVICE_NAME is not the proxy's service name")))
                .cache(REFRESH);
    }

    /** The versions, at most {@link #REFRESH} old. */
    public Mono<View> view() {
        return view;
    }

    private static Replica replica(FanOut.Answer answer) {
        if (answer.status() != 200) {
            return new Replica(answer.address(), "", -1);
        }
        try {
            JsonNode version = PlainJson.MAPPER.readTree(answer.body());
            return new Replica(answer.address(), version.path("Version").asText(), version.path("Services").asInt());
        } catch (JsonProcessingException e) {
            return new Replica(answer.address(), "", -1);
        }
    }
}
