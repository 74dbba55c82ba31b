package io.swarmgate.proxy.internal.upstream;

import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.Future;
import io.swarmgate.proxy.internal.io.Transport;
import io.swarmgate.proxy.upstream.Backend;
import io.swarmgate.proxy.upstream.TaskAddresses;
import io.swarmgate.proxy.upstream.TaskBalancing.Policy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The tasks of one service, as the {@link TaskAddresses} source last listed them or, when it does not know the service,
 * as {@code tasks.<service>} last resolved, balanced over those not ejected (round robin, or to the fewest requests in
 * flight); when all are ejected, over the one back soonest.
 *
 * <p>The set is an immutable array swapped with one volatile write; a request reads it once. It is read again in
 * the background when a request finds it older than the refresh interval, at once when a task fails, and when the
 * source says the service changed, so requests never wait for DNS except the very first. A task that leaves the set
 * gets no new request; requests it is serving finish. Tasks that stay keep their health record.
 *
 * <p>Internal: public for {@code context}, {@code exchange}, {@code tcp} only.
 */
public final class TaskGroup {
    private static final Endpoint[] NONE = new Endpoint[0];
    private static final Comparator<Endpoint> BY_ADDRESS =
            Comparator.comparing(e -> e.address().getAddress().getHostAddress());

    private final Backend backend;
    private final TaskAddresses source;
    private final long refreshNanos;
    private final AtomicBoolean resolving = new AtomicBoolean();
    private final AtomicInteger next = new AtomicInteger();
    private final CompletableFuture<Void> firstResolution = new CompletableFuture<>();
    private volatile Endpoint[] endpoints;
    private volatile long resolvedAt;
    private volatile boolean lookUpAgain;
    private final boolean leastRequests;
    /** Written by requests without ordering: only the health check reads it, to stop when nobody uses the group. */
    private long lastPicked;

    private final TaskHealthCheck healthCheck;

    public TaskGroup(Backend backend, TaskAddresses source, long refreshNanos, Transport transport) {
        this.backend = backend;
        this.source = source;
        this.refreshNanos = refreshNanos;
        this.leastRequests = backend.balancing().policy() == Policy.LEAST_REQUESTS;
        String path = backend.balancing().healthCheckPath();
        this.healthCheck = path == null && !backend.balancing().connectCheck()
                ? null : new TaskHealthCheck(this, path, transport);
    }

    /** Starts the active health checks, if the service has them, on this loop unless they run already. */
    public void checkHealth(EventLoop loop) {
        if (healthCheck != null) {
            healthCheck.ensureRunning(loop);
        }
    }

    /** Whether a first resolution has completed, successfully or not. */
    public boolean resolved() {
        return endpoints != null;
    }

    /** Completes once the first resolution has. */
    public CompletableFuture<Void> firstResolution() {
        return firstResolution;
    }

    /**
     * The task for the next request, other than {@code excluded}: the next available one after the round-robin
     * position, or with {@link Policy#LEAST_REQUESTS} the available one with the fewest requests in flight (scanning
     * from that position, so ties rotate). When every other task is ejected, the one whose ejection ends first: passive
     * health is a guess from a few failures, and a guess that every task is dead must not turn a live one's requests
     * into 503s (Envoy's panic mode does the same); the one back soonest has failed the fewest times in a row.
     * {@code null} only when no other task exists.
     */
    public Endpoint pick(Endpoint excluded, long nowNanos) {
        lastPicked = nowNanos;
        Endpoint[] current = endpoints;
        int count = current == null ? 0 : current.length;
        if (count == 0) {
            return null;
        }
        int start = (next.getAndIncrement() & Integer.MAX_VALUE) % count;
        Endpoint best = null;
        Endpoint soonestBack = null;
        for (int i = 0; i < count; i++) {
            Endpoint candidate = current[(start + i) % count];
            if (candidate == excluded) {
                continue;
            }
            if (candidate.available(nowNanos)) {
                if (!leastRequests) {
                    return candidate;
                }
                if (best == null || candidate.inFlight() < best.inFlight()) {
                    best = candidate;
                }
            } else if (soonestBack == null || candidate.ejectedUntil() - soonestBack.ejectedUntil() < 0) {
                soonestBack = candidate;
            }
        }
        return best != null ? best : soonestBack;
    }

    /** The available task a sticky-session cookie names, or {@code null} when it is gone or ejected. */
    public Endpoint pinned(String stickyId, Endpoint excluded, long nowNanos) {
        for (Endpoint endpoint : endpoints()) {
            if (endpoint.stickyId().equals(stickyId)) {
                return endpoint != excluded && endpoint.available(nowNanos) ? endpoint : null;
            }
        }
        return null;
    }

    /** The tasks as last resolved; empty before the first lookup. */
    public Endpoint[] endpoints() {
        Endpoint[] current = endpoints;
        return current == null ? NONE : current;
    }

    /** When a request last picked a task here, in {@link System#nanoTime()} terms. */
    long lastPicked() {
        return lastPicked;
    }

    Backend backend() {
        return backend;
    }

    /** Resolves again in the background when the set is older than the refresh interval. */
    public void refreshIfStale(AddressResolver<InetSocketAddress> resolver, long nowNanos) {
        if (nowNanos - resolvedAt >= refreshNanos) {
            refresh(resolver);
        }
    }

    /**
     * Asks the source, or resolves again in the background when it does not know the service. When a resolution is
     * already running, another follows it: the running one may have started before the change that prompted this call
     * (a task that just died).
     */
    public void refresh(AddressResolver<InetSocketAddress> resolver) {
        if (resolving.compareAndSet(false, true)) {
            Optional<List<InetAddress>> listed = listed();
            if (listed.isPresent()) {
                publish(listed.get().stream().map(address -> new InetSocketAddress(address, backend.port())).toList());
                refreshed(resolver);
            } else {
                Future<List<InetSocketAddress>> lookup = resolver.resolveAll(backend.address());
                lookup.addListener(done -> onResolved(lookup, resolver));
            }
        } else {
            lookUpAgain = true;
        }
    }

    /** The source's addresses; a source that fails is treated as not knowing, so the group never stays unresolved. */
    private Optional<List<InetAddress>> listed() {
        try {
            return source.running(backend.host());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A request to {@code task} failed: the task is ejected, the source hears of it, and the tasks are read again.
     */
    public void taskFailed(Endpoint task, AddressResolver<InetSocketAddress> resolver) {
        task.failed(System.nanoTime());
        try {
            source.failed(backend.host());
        } catch (RuntimeException e) {
            // The source's trouble: the tasks are read again all the same.
        }
        refresh(resolver);
    }

    /**
     * Whether another available task than {@code excluded} exists. A request that failed on a task is sent to another
     * only then: when all are ejected, one try of the task back soonest is as far as a request goes.
     */
    public boolean hasAlternative(Endpoint excluded, long nowNanos) {
        for (Endpoint endpoint : endpoints()) {
            if (endpoint != excluded && endpoint.available(nowNanos)) {
                return true;
            }
        }
        return false;
    }

    private void onResolved(Future<List<InetSocketAddress>> result, AddressResolver<InetSocketAddress> resolver) {
        if (result.isSuccess()) {
            publish(result.getNow());
        } else if (result.cause() instanceof UnknownHostException || endpoints == null) {
            // No such name: the service has no task (Docker answers NXDOMAIN for tasks.<service> at 0 replicas).
            publish(List.of());
        }
        refreshed(resolver);
    }

    private void refreshed(AddressResolver<InetSocketAddress> resolver) {
        resolvedAt = System.nanoTime();
        resolving.set(false);
        firstResolution.complete(null);
        if (lookUpAgain) {
            lookUpAgain = false;
            refresh(resolver);
        }
    }

    private void publish(List<InetSocketAddress> addresses) {
        Endpoint[] previous = endpoints == null ? NONE : endpoints;
        Map<InetSocketAddress, Endpoint> known = new HashMap<>();
        for (Endpoint endpoint : previous) {
            known.put(endpoint.address(), endpoint);
        }
        Endpoint[] fresh = addresses.stream().distinct()
                .map(address -> known.getOrDefault(address, new Endpoint(address)))
                .sorted(BY_ADDRESS)
                .toArray(Endpoint[]::new);
        endpoints = Arrays.equals(previous, fresh) ? previous : fresh;
    }
}
