package io.swarmgate.api.http;

import io.netty.handler.codec.http.QueryStringEncoder;
import io.swarmgate.api.json.DfpJson;
import io.swarmgate.api.replicas.FanOut;
import io.swarmgate.api.replicas.Peers;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * {@code distribute=true} as Docker Flow Proxy answers it: a request it would reject is answered here; a valid one is
 * sent again, with {@code distribute=false}, to the API port of every address of {@code tasks.<SERVICE_NAME>}, this
 * replica included, so every replica applies it the same way. 200 when all of them answered 200, else 500 naming
 * those that did not (the listener then retries the whole request).
 */
final class Distribution {
    private static final Logger log = LoggerFactory.getLogger(Distribution.class);

    private final Peers peers;
    private final FanOut fanOut;
    private final IntSupplier apiPort;

    Distribution(Peers peers, FanOut fanOut, IntSupplier apiPort) {
        this.peers = peers;
        this.fanOut = fanOut;
        this.apiPort = apiPort;
    }

    /**
     * @param body          the request's body, passed on; or null
     * @param check         DFP's answer when it rejects the request, or the success answer to give once distributed
     * @param authorization the caller's {@code Authorization} header, passed on; or null
     */
    Mono<ApiAnswer> answer(String method, String path, Map<String, List<String>> query, String body,
                           Function<Map<String, List<String>>, Checked> check, String authorization) {
        Checked checked = check.apply(query);
        if (checked.rejection() != null) {
            return Mono.just(checked.rejection());
        }
        String serviceName = checked.serviceName();
        return peers.addresses()
                .onErrorResume(e -> {
                    log.warn("Cannot distribute {} of {}: {} does not resolve ({})", path, serviceName, peers.name(),
                            e.toString());
                    return Mono.just(List.of());
                })
                .flatMap(addresses -> {
                    if (addresses.isEmpty()) {
                        return Mono.just(failure("Could not perform DNS lookup for " + peers.name()
                                + ". If the proxy is not called '" + peers.serviceName() + "', you must set "
                                + "SERVICE_NAME=<name-of-the-proxy> on the proxy service.", serviceName));
                    }
                    return fanOut.send(addresses, apiPort.getAsInt(), method, notDistributed(path, query), body,
                                    authorization)
                            .map(failed -> {
                                if (failed.isEmpty()) {
                                    log.info("Distributed {} of {} to {} replica(s)", path, serviceName,
                                            addresses.size());
                                    return checked.success();
                                }
                                log.warn("Distributing {} of {} failed at {}", path, serviceName, failed);
                                return failure("Could not send distribute request to the following addresses: "
                                        + "[" + String.join(" ", failed) + "]", serviceName);
                            });
                });
    }

    /**
     * DFP's {@code metrics?distribute=true}: the same request, with {@code distribute=false}, to every replica, their
     * answers concatenated in address order; 500 with an empty body when a replica did not answer 200, as DFP.
     */
    Mono<ApiAnswer> concatenate(String path, Map<String, List<String>> query, String authorization) {
        return peers.addresses()
                .flatMap(addresses -> fanOut.collect(addresses, apiPort.getAsInt(), "GET",
                        notDistributed(path, query), authorization))
                .map(answers -> {
                    if (answers.isEmpty() || answers.stream().anyMatch(a -> a.status() != 200)) {
                        log.warn("Cannot collect {} from every replica: {}", path, answers.stream()
                                .filter(a -> a.status() != 200).map(FanOut.Answer::address).toList());
                        return ApiAnswer.text(500, "");
                    }
                    return ApiAnswer.text(200, answers.stream().map(FanOut.Answer::body)
                            .collect(Collectors.joining()));
                })
                .onErrorResume(e -> {
                    log.warn("Cannot collect {}: {} does not resolve ({})", path, peers.name(), e.toString());
                    return Mono.just(ApiAnswer.text(500, ""));
                });
    }

    /** The outcome of DFP's checks before a request is distributed: a rejection, or the answer once it is. */
    record Checked(ApiAnswer rejection, String serviceName, ApiAnswer success) {
        static Checked rejected(ApiAnswer rejection) {
            return new Checked(rejection, "", null);
        }

        static Checked accepted(String serviceName, ApiAnswer success) {
            return new Checked(null, serviceName, success);
        }
    }

    private static ApiAnswer failure(String message, String serviceName) {
        return ApiAnswer.json(500, DfpJson.failure(message, serviceName));
    }

    /** The same request for one replica: {@code distribute=false}, in any case it was spelled, the rest as it came. */
    private static String notDistributed(String path, Map<String, List<String>> query) {
        QueryStringEncoder encoder = new QueryStringEncoder(path);
        query.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("distribute")) {
                values.forEach(value -> encoder.addParam(name, value));
            }
        });
        encoder.addParam("distribute", "false");
        return encoder.toString();
    }
}
