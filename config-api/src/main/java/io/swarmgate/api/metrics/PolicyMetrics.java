package io.swarmgate.api.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.swarmgate.proxy.policy.CircuitBreaker;
import io.swarmgate.proxy.policy.ConcurrencyLimit;
import io.swarmgate.proxy.policy.ForwardAuth;
import io.swarmgate.proxy.policy.PolicyStats;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.route.RouteTable;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The route policies' series, read from the policies of the published routing table at each scrape, so that the data
 * plane only adds to its own counters: {@code swarmgate_<policy>_rejected_total{service}} (the requests a rate limit,
 * breaker or concurrency limit answered itself) and {@code swarmgate_auth_failures_total{service}}, then
 * {@code swarmgate_breaker_state{service}} (0 closed, 1 half-open, 2 open: a service's worst breaker) and
 * {@code swarmgate_concurrency_in_progress{service}}. A change to a service compiles new policies, whose counts start
 * at 0: Prometheus reads that as a counter reset.
 */
final class PolicyMetrics {
    private final MeterRegistry registry;
    private final Supplier<RouteTable> routes;
    private final Set<List<String>> registered = ConcurrentHashMap.newKeySet();
    private final MultiGauge breakerState;
    private final MultiGauge inProgress;

    PolicyMetrics(MeterRegistry registry, Supplier<RouteTable> routes) {
        this.registry = registry;
        this.routes = routes;
        this.breakerState = MultiGauge.builder("swarmgate.breaker.state")
                .description("Each service's worst circuit breaker: 0 closed, 1 half-open, 2 open")
                .register(registry);
        this.inProgress = MultiGauge.builder("swarmgate.concurrency.in.progress")
                .description("Requests in progress on services with a concurrency limit")
                .register(registry);
    }

    /** Registers the counters of policies first seen, and sets the gauges, before a scrape. */
    void publish() {
        Map<String, Integer> states = new TreeMap<>();
        Map<String, Integer> busy = new TreeMap<>();
        stats().forEach((policy, service) -> {
            if (registered.add(List.of(service, policy.policy()))) {
                FunctionCounter.builder(counterName(policy.policy()), this,
                                metrics -> metrics.refused(service, policy.policy()))
                        .description("Requests the " + policy.policy() + " policy answered itself")
                        .tag("service", service)
                        .register(registry);
            }
            if (policy instanceof CircuitBreaker breaker) {
                states.merge(service, severity(breaker.state()), Math::max);
            } else if (policy instanceof ConcurrencyLimit limit) {
                busy.merge(service, limit.inProgress(), Integer::sum);
            }
        });
        breakerState.register(rows(states), true);
        inProgress.register(rows(busy), true);
    }

    private static String counterName(String policy) {
        return policy.equals(ForwardAuth.NAME) ? "swarmgate.auth.failures" : "swarmgate." + policy + ".rejected";
    }

    private static int severity(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    private static List<MultiGauge.Row<?>> rows(Map<String, Integer> byService) {
        return byService.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("service", e.getKey()), e.getValue()))
                .collect(Collectors.toList());
    }

    private double refused(String service, String policy) {
        long sum = 0;
        for (Map.Entry<PolicyStats, String> counted : stats().entrySet()) {
            if (counted.getValue().equals(service) && counted.getKey().policy().equals(policy)) {
                sum += counted.getKey().refused();
            }
        }
        return sum;
    }

    /** Each policy of the published routes once, with its service: routes of one destination share them. */
    private Map<PolicyStats, String> stats() {
        Map<PolicyStats, String> stats = new IdentityHashMap<>();
        for (Route route : routes.get().routes()) {
            for (PolicyStats policy : route.policies().stats()) {
                stats.put(policy, route.serviceName());
            }
        }
        return Collections.unmodifiableMap(stats);
    }
}
