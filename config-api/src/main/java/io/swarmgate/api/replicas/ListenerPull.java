package io.swarmgate.api.replicas;

import com.fasterxml.jackson.core.type.TypeReference;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.swarmgate.api.json.PlainJson;
import io.swarmgate.config.InvalidServiceException;
import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import io.swarmgate.config.ServiceSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Docker Flow Proxy's start-up pull ({@code LISTENER_ADDRESS}): a new replica asks a swarm listener for every service
 * it would notify ({@code GET /v1/docker-flow-swarm-listener/get-services}) and applies them, so it does not wait for
 * the next notification. Each listener is tried in turn, every reload interval, until one answers; then it stops,
 * until DFP's {@code reload?fromListener=true} asks for the same pull again.
 */
public final class ListenerPull implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ListenerPull.class);
    private static final String GET_SERVICES = "/v1/docker-flow-swarm-listener/get-services";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final TypeReference<List<Map<String, String>>> SERVICES = new TypeReference<>() { };

    private final List<String> listeners;
    private final ReconfigureParameters parser;
    private final ServiceRegistry registry;
    private final Runnable done;
    private final Duration interval;
    private final Set<String> failing = new HashSet<>(); // worker thread only
    private boolean pulled; // worker thread only
    // Reactor Netty's client, not the JDK's: Swarmgate's jlink'ed runtime has no java.net.http.
    private final HttpClient client = HttpClient.create(ConnectionProvider.newConnection())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) TIMEOUT.toMillis())
            .responseTimeout(TIMEOUT);
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("swarmgate-listener-pull", true));

    private ListenerPull(List<String> listeners, ReconfigureParameters parser, ServiceRegistry registry, Runnable done,
                         Duration interval) {
        this.listeners = listeners;
        this.interval = interval;
        this.parser = parser;
        this.registry = registry;
        this.done = done;
    }

    /**
     * A pull from {@code settings.listenerAddresses()}, not started yet.
     *
     * @param done run once the services of a listener are applied at start
     */
    public static ListenerPull of(ReplicaSettings settings, ReconfigureParameters parser, ServiceRegistry registry,
                                  Runnable done) {
        List<String> listeners = settings.listenerAddresses().stream().map(ListenerPull::getServices).toList();
        return new ListenerPull(listeners, parser, registry, done, settings.reloadInterval());
    }

    /** Starts pulling in the background, at once and then every reload interval until a listener answers. */
    public void start() {
        worker.scheduleWithFixedDelay(this::pullAtStart, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether there is any listener to pull from ({@code LISTENER_ADDRESS} is set). */
    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /**
     * DFP's {@code reload?fromListener=true}: pulls every service again, from the first listener that answers, on the
     * pull's own thread.
     *
     * @return completes with what was applied, or with an {@link IOException} naming each listener's failure
     */
    public CompletableFuture<String> pullAgain() {
        return CompletableFuture.supplyAsync(() -> {
            List<String> failures = new ArrayList<>();
            for (String listener : listeners) {
                try {
                    return pull(listener);
                } catch (IOException | RuntimeException e) {
                    failures.add(listener + ": " + Exceptions.unwrap(e));
                }
            }
            throw new CompletionException(new IOException("Cannot pull the services from the swarm listener(s): "
                    + String.join("; ", failures)));
        }, worker);
    }

    /** DFSL's API port is 8080, as DFP assumes when the address names none. */
    private static String getServices(String address) {
        String hostAndPort = address.contains(":") ? address : address + ":8080";
        return "http://" + hostAndPort + GET_SERVICES;
    }

    private void pullAtStart() {
        if (pulled) {
            return;
        }
        for (String listener : listeners) {
            try {
                pull(listener);
                pulled = true;
                done.run();
                return;
            } catch (IOException | RuntimeException e) {
                // Once per listener: a listener that is not up yet would fill the log every interval.
                if (failing.add(listener)) {
                    log.warn("Cannot pull the services from the swarm listener at {}, trying again every {} ms: {}",
                            listener, interval.toMillis(), Exceptions.unwrap(e).toString());
                }
            }
        }
    }

    /** Fetches and applies one listener's services; returns what was applied. */
    private String pull(String listener) throws IOException {
        List<Map<String, String>> services = fetch(listener);
        long applied = services.stream().filter(this::apply).count();
        String pulled = "Pulled " + applied + " service(s) from the swarm listener at " + listener
                + (applied < services.size() ? "; " + (services.size() - applied) + " skipped (see the log)" : "");
        log.info(pulled);
        return pulled;
    }

    /** Blocks this worker's thread, which has nothing else to do. */
    private List<Map<String, String>> fetch(String listener) throws IOException {
        String body = client.get().uri(listener)
                .responseSingle((response, content) -> response.status().code() == 200
                        ? content.asString().defaultIfEmpty("")
                        : Mono.error(new IOException("answered " + response.status().code())))
                .block(TIMEOUT.multipliedBy(2));
        return PlainJson.MAPPER.readValue(body, SERVICES);
    }

    /** As a notification without {@code distribute}: each replica pulls for itself. False when it was skipped. */
    private boolean apply(Map<String, String> service) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        service.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("distribute")) {
                parameters.put(name, List.of(value));
            }
        });
        try {
            ServiceSpec spec = parser.parse(parameters);
            String notForThisProxy = parser.compatibility().notForThisProxy(spec);
            if (notForThisProxy != null) {
                log.info("Service '{}' from the swarm listener skipped: {}", spec.serviceName(), notForThisProxy);
                return false;
            }
            registry.apply(spec);
            return true;
        } catch (InvalidServiceException e) {
            log.warn("Service '{}' from the swarm listener skipped: {}", ReconfigureParameters.serviceName(parameters),
                    e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
