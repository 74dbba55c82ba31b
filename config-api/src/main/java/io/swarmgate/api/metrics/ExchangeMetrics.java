package io.swarmgate.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.proxy.CompletedExchange;
import io.swarmgate.proxy.ProxyObserver;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.tcp.StreamRoute;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The data plane's meters: requests by service, status class and method, their durations, bytes received from and
 * sent to clients, retries, task ejections, and open connections.
 * Meters are looked up by array index once a service has been seen, so recording allocates nothing per request.
 * A service's meters go some time after the service is removed, so one that came and went costs nothing afterwards.
 */
final class ExchangeMetrics implements ProxyObserver {
    private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS);
    private static final String OTHER_METHOD = "OTHER";
    /** Status classes 1xx to 5xx, and answers cut off before they were complete. */
    private static final String[] CODES = {"1xx", "2xx", "3xx", "4xx", "5xx", "aborted"};
    /** The index of "5xx" in {@link #CODES}. */
    private static final int SERVER_ERRORS = 4;
    private static final String NO_SERVICE = "";
    /**
     * Sweeps that drop a removed service's meters again, one a second: a request still under way when its service
     * was removed records into new meters when it ends, and those go at the next sweep.
     */
    static final int SWEEPS_AFTER_REMOVAL = 60;

    private final MeterRegistry registry;
    private final AtomicLong openConnections = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final Map<String, ServiceMeters> services = new ConcurrentHashMap<>();
    /** Removed services whose meters {@link #sweep} drops, with the sweeps left. */
    private final Map<String, Integer> removed = new ConcurrentHashMap<>();

    ExchangeMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("swarmgate.open.connections", openConnections, AtomicLong::get)
                .description("Client connections open on the data plane")
                .register(registry);
    }

    @Override
    public void connectionOpened() {
        openConnections.incrementAndGet();
        connections.incrementAndGet();
    }

    @Override
    public void connectionClosed() {
        openConnections.decrementAndGet();
    }

    @Override
    public void exchangeCompleted(CompletedExchange exchange) {
        ServiceMeters meters = meters(exchange.route());
        meters.receivedBytes.increment(exchange.receivedBytes());
        meters.sentBytes.increment(exchange.sentBytes());
        exchangeCompleted(exchange.route(), exchange.method(), exchange.status(), exchange.durationNanos());
    }

    @Override
    public void exchangeCompleted(Route route, HttpMethod method, int status, long durationNanos) {
        ServiceMeters meters = meters(route);
        meters.requests(codeIndex(status), methodIndex(method)).increment();
        meters.duration.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void requestRetried(Route route) {
        meters(route).retries.increment();
    }

    @Override
    public void mirrorDropped(Route route, MirrorDrop reason) {
        meters(route).mirrorDropped(reason).increment();
    }

    @Override
    public void taskEjected(Route route, InetSocketAddress task) {
        meters(route).ejections.increment();
    }

    @Override
    public void taskEjected(StreamRoute route, InetSocketAddress task) {
        meters(route.serviceName()).ejections.increment();
    }

    long openConnections() {
        return openConnections.get();
    }

    /** Client connections accepted since the start. */
    long connections() {
        return connections.get();
    }

    /** The service left the routing table: its meters go at the next sweeps. */
    void serviceRemoved(String service) {
        removed.put(service, SWEEPS_AFTER_REMOVAL);
    }

    /** The service is (again) in the routing table: its meters stay. */
    void serviceApplied(String service) {
        removed.remove(service);
    }

    /**
     * Drops the meters of removed services from this object and from the registry (so {@code /metrics} no longer
     * shows them), and hands each name whose meters it dropped to {@code dropped}.
     */
    void sweep(Consumer<String> dropped) {
        for (String service : removed.keySet()) {
            ServiceMeters meters = services.get(service);
            if (meters != null) {
                // Out of the registry first: whoever still finds these meters in the map counts into meters that no
                // longer show, and meters made after they leave the map are registered anew.
                meters.retire();
                services.remove(service, meters);
                dropped.accept(service);
            }
            removed.computeIfPresent(service, (name, left) -> left > 1 ? left - 1 : null);
        }
    }

    /** What was counted for the service ("" for requests no route took). */
    ServiceStats stats(String service) {
        ServiceMeters meters = services.get(service);
        return meters == null ? ServiceStats.none(service) : meters.stats();
    }

    /** A service's cumulative counts, read when asked: a reader that sees no new request need not sum the errors. */
    interface ServiceCounts {
        /** Requests answered. */
        long requests();

        /** The 5xx answers. */
        long errors();

        /** Times one of its tasks was ejected. */
        long ejections();

        /** The durations of its requests. */
        Timer duration();
    }

    /** Hands each service's counts to {@code reader} ("" for requests no route took). */
    void read(BiConsumer<String, ServiceCounts> reader) {
        services.forEach(reader);
    }

    /** The names of the services that have meters, "" included once a request found no route. */
    Set<String> services() {
        return services.keySet();
    }

    private ServiceMeters meters(Route route) {
        return meters(route == null ? NO_SERVICE : route.serviceName());
    }

    private ServiceMeters meters(String service) {
        ServiceMeters meters = services.get(service);
        return meters != null ? meters : services.computeIfAbsent(service, name -> new ServiceMeters(registry, name));
    }

    private static int codeIndex(int status) {
        return status < 100 || status > 599 ? CODES.length - 1 : status / 100 - 1;
    }

    /** Standard methods are Netty's shared constants, so identity finds them. */
    private static int methodIndex(HttpMethod method) {
        for (int i = 0; i < METHODS.size(); i++) {
            if (METHODS.get(i) == method) {
                return i;
            }
        }
        return METHODS.size();
    }

    private static final class ServiceMeters implements ServiceCounts {
        /** Counters made as first needed (requests, mirror drops): one made while the meters retire must see it. */
        private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Counter[].class);

        private final MeterRegistry registry;
        private final String service;
        private final Counter[] requests = new Counter[CODES.length * (METHODS.size() + 1)];
        private final Counter[] mirrorDrops = new Counter[MirrorDrop.values().length];
        private final Timer duration;
        private final Counter retries;
        private final Counter ejections;
        private final Counter receivedBytes;
        private final Counter sentBytes;
        private volatile boolean retired;

        ServiceMeters(MeterRegistry registry, String service) {
            this.registry = registry;
            this.service = service;
            this.retries = Counter.builder("swarmgate.retries")
                    .description("Requests sent again after a failed try, by service")
                    .tag("service", service)
                    .register(registry);
            this.ejections = Counter.builder("swarmgate.task.ejections")
                    .description("Times a task was ejected for refusing, resetting or not answering, by service")
                    .tag("service", service)
                    .register(registry);
            this.receivedBytes = Counter.builder("swarmgate.received")
                    .description("Bytes read from clients (after TLS), head included, by service")
                    .baseUnit("bytes")
                    .tag("service", service)
                    .register(registry);
            this.sentBytes = Counter.builder("swarmgate.sent")
                    .description("Bytes written to clients (before TLS), head included, by service")
                    .baseUnit("bytes")
                    .tag("service", service)
                    .register(registry);
            this.duration = Timer.builder("swarmgate.request.duration")
                    .description("Time from a request's head to the end of its answer, by service")
                    .tag("service", service)
                    .publishPercentileHistogram()
                    .register(registry);
        }

        ServiceStats stats() {
            long[] responses = new long[CODES.length];
            for (int code = 0; code < CODES.length; code++) {
                responses[code] = answers(code);
            }
            return new ServiceStats(service, duration.count(), responses, (long) receivedBytes.count(),
                    (long) sentBytes.count(), (long) retries.count(), duration.mean(TimeUnit.MILLISECONDS));
        }

        @Override
        public long requests() {
            return duration.count();
        }

        @Override
        public long errors() {
            return answers(SERVER_ERRORS);
        }

        @Override
        public long ejections() {
            return (long) ejections.count();
        }

        @Override
        public Timer duration() {
            return duration;
        }

        /** The answers of status class {@code code} (an index into {@code CODES}), whatever their method. */
        long answers(int code) {
            long answers = 0;
            for (int slot = code * (METHODS.size() + 1); slot < (code + 1) * (METHODS.size() + 1); slot++) {
                Counter counter = requests[slot];
                if (counter != null) {
                    answers += (long) counter.count();
                }
            }
            return answers;
        }

        Counter requests(int code, int method) {
            int slot = code * (METHODS.size() + 1) + method;
            Counter counter = requests[slot];
            return counter != null ? counter : registered(requests, slot, Counter.builder("swarmgate.requests")
                    .description("Requests answered, by service, status class and method")
                    .tags("service", service, "code", CODES[code],
                            "method", method < METHODS.size() ? METHODS.get(method).name() : OTHER_METHOD));
        }

        /** Only when a copy is dropped, which a mirror that keeps up never causes. */
        Counter mirrorDropped(MirrorDrop reason) {
            Counter counter = mirrorDrops[reason.ordinal()];
            return counter != null ? counter : registered(mirrorDrops, reason.ordinal(),
                    Counter.builder("swarmgate.mirror.dropped")
                            .description("Requests to mirror that were not, or whose copy failed, by reason")
                            .tag("service", service).tag("reason", reason.name().toLowerCase(Locale.ROOT)));
        }

        private Counter registered(Counter[] slots, int slot, Counter.Builder builder) {
            // Registering is idempotent, so two threads racing here share one counter.
            Counter counter = builder.register(registry);
            SLOTS.setVolatile(slots, slot, counter);
            if (retired) {
                registry.remove(counter);
            }
            return counter;
        }

        /** Takes every meter of the service out of the registry. */
        void retire() {
            retired = true;
            removeAll(requests);
            removeAll(mirrorDrops);
            registry.remove(duration);
            registry.remove(retries);
            registry.remove(ejections);
            registry.remove(receivedBytes);
            registry.remove(sentBytes);
        }

        private void removeAll(Counter[] slots) {
            for (int slot = 0; slot < slots.length; slot++) {
                Counter counter = (Counter) SLOTS.getVolatile(slots, slot);
                if (counter != null) {
                    registry.remove(counter);
                }
            }
        }
    }
}
