package io.swarmgate.api.replicas;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swarmgate.config.InvalidServiceException;
import io.swarmgate.config.ReconfigureParameters;
import io.swarmgate.config.ServiceRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker Flow Proxy's start-up pull ({@code LISTENER_ADDRESS}): a new replica asks a swarm listener for every service
 * it would notify ({@code GET /v1/docker-flow-swarm-listener/get-services}) and applies them, so it does not wait for
 * the next notification. Each listener is tried in turn, every reload interval, until one answers; then it stops.
 */
public final class ListenerPull implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ListenerPull.class);
    private static final String GET_SERVICES = "/v1/docker-flow-swarm-listener/get-services";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, String>>> SERVICES = new TypeReference<>() { };

    private final List<URI> listeners;
    private final ReconfigureParameters parser;
    private final ServiceRegistry registry;
    private final Runnable done;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "swarmgate-listener-pull");
        thread.setDaemon(true);
        return thread;
    });

    private ListenerPull(List<URI> listeners, ReconfigureParameters parser, ServiceRegistry registry, Runnable done) {
        this.listeners = listeners;
        this.parser = parser;
        this.registry = registry;
        this.done = done;
    }

    /**
     * Starts pulling from {@code settings.listenerAddresses()} in the background, at once and then every reload
     * interval until a listener answers.
     *
     * @param done run once the services of a listener are applied
     */
    public static ListenerPull start(ReplicaSettings settings, ReconfigureParameters parser, ServiceRegistry registry,
                                     Runnable done) {
        List<URI> listeners = settings.listenerAddresses().stream().map(ListenerPull::getServices).toList();
        ListenerPull pull = new ListenerPull(listeners, parser, registry, done);
        long interval = settings.reloadInterval().toMillis();
        pull.worker.scheduleWithFixedDelay(pull::pullOnce, 0, interval, TimeUnit.MILLISECONDS);
        return pull;
    }

    /** DFSL's API port is 8080, as DFP assumes when the address names none. */
    private static URI getServices(String address) {
        String hostAndPort = address.contains(":") ? address : address + ":8080";
        return URI.create("http://" + hostAndPort + GET_SERVICES);
    }

    private void pullOnce() {
        for (URI listener : listeners) {
            try {
                List<Map<String, String>> services = fetch(listener);
                services.forEach(this::apply);
                log.info("Pulled {} service(s) from the swarm listener at {}", services.size(), listener);
                done.run();
                worker.shutdown();
                return;
            } catch (IOException | RuntimeException e) {
                log.warn("Cannot pull the services from the swarm listener at {}, trying again: {}", listener,
                        e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private List<Map<String, String>> fetch(URI listener) throws IOException, InterruptedException {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(listener).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("answered " + answer.statusCode());
        }
        return JSON.readValue(answer.body(), SERVICES);
    }

    /** As a notification without {@code distribute}: each replica pulls for itself. */
    private void apply(Map<String, String> service) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        service.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("distribute")) {
                parameters.put(name, List.of(value));
            }
        });
        try {
            registry.apply(parser.parse(parameters));
        } catch (InvalidServiceException e) {
            log.warn("Service '{}' from the swarm listener skipped: {}", ReconfigureParameters.serviceName(parameters),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
