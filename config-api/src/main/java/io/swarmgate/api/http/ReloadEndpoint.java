package io.swarmgate.api.http;

import io.swarmgate.api.json.DfpJson;
import io.swarmgate.api.replicas.ListenerPull;
import io.swarmgate.config.GoBooleans;
import io.swarmgate.config.ServiceRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * DFP's {@code reload}. The routing table is live from the moment a change is answered, so a plain reload has nothing
 * to do; {@code recreate=true} compiles every stored service again, {@code fromListener=true} pulls every service from
 * the swarm listeners ({@code LISTENER_ADDRESS}) again. Unlike DFP, a failure is answered {@code "NOK"} with its 500.
 */
final class ReloadEndpoint {
    private static final Logger log = LoggerFactory.getLogger(ReloadEndpoint.class);

    private final ServiceRegistry registry;
    private final ListenerPull listeners;
    private final Executor loop;

    /** @param loop where a pull's answer completes: the API's event loop */
    ReloadEndpoint(ServiceRegistry registry, ListenerPull listeners, Executor loop) {
        this.registry = registry;
        this.listeners = listeners;
        this.loop = loop;
    }

    Mono<ApiAnswer> answer(Map<String, List<String>> query) {
        Boolean fromListener = flag(query, "fromListener");
        Boolean recreate = flag(query, "recreate");
        if (fromListener == null || recreate == null) {
            String name = fromListener == null ? "fromListener" : "recreate";
            return Mono.just(ApiAnswer.json(400, DfpJson.failure(name + ": '" + query.get(name).get(0)
                    + "' (expected: true or false)", "")));
        }
        if (fromListener) {
            return fromListener();
        }
        if (recreate) {
            return Mono.just(recreate());
        }
        return Mono.just(ApiAnswer.json(200, DfpJson.okMessage(
                "Nothing to reload: every change is in effect when it is answered")));
    }

    private Mono<ApiAnswer> fromListener() {
        if (!listeners.hasListeners()) {
            return Mono.just(ApiAnswer.json(400, DfpJson.failure(
                    "fromListener: no swarm listener to pull from (set LISTENER_ADDRESS)", "")));
        }
        return Mono.fromFuture(listeners.pullAgain())
                .map(pulled -> ApiAnswer.json(200, DfpJson.okMessage(pulled)))
                .onErrorResume(e -> {
                    String message = Exceptions.unwrap(e).getMessage();
                    log.warn("reload?fromListener=true failed: {}", message);
                    return Mono.just(ApiAnswer.json(500, DfpJson.failure(message, "")));
                })
                .publishOn(Schedulers.fromExecutor(loop));
    }

    private ApiAnswer recreate() {
        Map<String, String> failed = registry.recompile();
        if (failed.isEmpty()) {
            log.info("Recreated the routing table from {} stored service(s)", registry.services().size());
            return ApiAnswer.json(200, DfpJson.okMessage("Recreated the routing table from "
                    + registry.services().size() + " stored service(s)"));
        }
        log.warn("reload?recreate=true: services keep their previous routes: {}", failed);
        return ApiAnswer.json(500, DfpJson.failure("These services keep their previous routes: " + failed, ""));
    }

    /** DFP reads these two names as given, with Go's ParseBool; absent is false, null is not a boolean. */
    private static Boolean flag(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Boolean.FALSE : GoBooleans.parse(values.get(0));
    }
}
