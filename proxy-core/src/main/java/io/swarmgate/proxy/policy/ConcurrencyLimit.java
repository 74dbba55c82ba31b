package io.swarmgate.proxy.policy;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code concurrencyLimit}, {@code concurrencyLimitPerClient}: at most so many of the route's requests in progress at
 * once, and at most so many of one client's; a request past either gets 503 at once. A request takes a permit when
 * its policies run and gives it back when its exchange ends, however it ends ({@link PolicyRequest#onEnd}).
 *
 * <p>Each count is a number moved by compare-and-set. A client's count exists only while it has requests in progress:
 * the last to end retires it (it is marked dead first, so that a request racing the retirement takes a fresh one),
 * and at most {@link #MAX_CLIENTS} clients are tracked at once; a new client past that is refused, so that a flood of
 * addresses costs bounded memory.
 */
public final class ConcurrencyLimit implements RoutePolicy, PolicyStats {
    /** Its name in metrics and the access log. */
    public static final String NAME = "concurrency";
    /** Clients with requests in progress tracked per route. */
    public static final int MAX_CLIENTS = 65_536;
    private static final int DEAD = -1;
    private static final LocalResponse BUSY = LocalResponse.of(503, "Too many requests in progress: try again later.")
            .withHeader("Retry-After", "1").by(NAME);

    private final int routeLimit;
    private final int clientLimit;
    private final int maxClients;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> clients;
    private final LongAdder refused = new LongAdder();
    private final Runnable releaseRoute = inProgress::decrementAndGet;

    /**
     * @param routeLimit  the route's requests in progress at most, or 0 for no such bound
     * @param clientLimit one client's requests in progress at most, or 0 for no such bound
     */
    public ConcurrencyLimit(int routeLimit, int clientLimit) {
        this(routeLimit, clientLimit, MAX_CLIENTS);
    }

    ConcurrencyLimit(int routeLimit, int clientLimit, int maxClients) {
        if (routeLimit < 0 || clientLimit < 0 || routeLimit + clientLimit == 0 || maxClients < 1) {
            throw new IllegalArgumentException("limits: " + routeLimit + " per route, " + clientLimit
                    + " per client (expected: one of them above 0, neither below)");
        }
        this.routeLimit = routeLimit;
        this.clientLimit = clientLimit;
        this.maxClients = maxClients;
        this.clients = clientLimit == 0 ? null : new ConcurrentHashMap<>();
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        if (routeLimit > 0) {
            if (!take(inProgress, routeLimit)) {
                refused.increment();
                return BUSY;
            }
            request.onEnd(releaseRoute);
        }
        if (clients != null) {
            String client = request.clientAddress();
            AtomicInteger count = takeForClient(client);
            if (count == null) {
                refused.increment();
                return BUSY; // the route's permit, if taken, goes back when this answer ends the exchange
            }
            request.onEnd(() -> releaseClient(client, count));
        }
        return PolicyResult.PROCEED;
    }

    private static boolean take(AtomicInteger count, int limit) {
        while (true) {
            int now = count.get();
            if (now >= limit) {
                return false;
            }
            if (count.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** The client's count with a permit taken, or {@code null} when it has none left or there is no room for it. */
    private AtomicInteger takeForClient(String client) {
        while (true) {
            AtomicInteger count = clients.get(client);
            if (count == null) {
                if (clients.mappingCount() >= maxClients) {
                    return null;
                }
                AtomicInteger fresh = new AtomicInteger();
                AtomicInteger raced = clients.putIfAbsent(client, fresh);
                count = raced == null ? fresh : raced;
            }
            int now = count.get();
            if (now == DEAD) {
                clients.remove(client, count); // retired by its last request: take a fresh one
                continue;
            }
            if (now >= clientLimit) {
                return null;
            }
            if (count.compareAndSet(now, now + 1)) {
                return count;
            }
        }
    }

    private void releaseClient(String client, AtomicInteger count) {
        if (count.decrementAndGet() == 0 && count.compareAndSet(0, DEAD)) {
            clients.remove(client, count);
        }
    }

    /** The route's requests in progress now. */
    public int inProgress() {
        return inProgress.get();
    }

    /** Clients with requests in progress now. */
    int trackedClients() {
        return clients == null ? 0 : clients.size();
    }

    @Override
    public String policy() {
        return NAME;
    }

    /** Requests answered 503 because a limit was reached. */
    @Override
    public long refused() {
        return refused.sum();
    }
}
