package io.swarmgate.proxy.internal.exchange;

import io.netty.channel.EventLoop;
import io.swarmgate.proxy.internal.context.ProxyContext;
import io.swarmgate.proxy.internal.upstream.Endpoint;
import io.swarmgate.proxy.internal.upstream.TaskGroup;
import io.swarmgate.proxy.route.RequestHeaders;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.upstream.Backend;

/**
 * Which task of a task-balanced backend serves the request in progress, and what the tasks' health hears of it: the
 * request counts among its task's requests in flight until it ends or moves, a task that fails is ejected and the
 * tasks are looked up again, and a client with a sticky session is pinned to the task that answers. One per client
 * connection, reused for each exchange.
 */
final class TaskChoice {
    /** A connection to a live task opens in well under a millisecond on an overlay network. */
    private static final int TASK_ATTEMPT_CONNECT_MILLIS = 500;

    private final ProxyContext context;
    private final EventLoop loop;
    private Route route;
    /** The route's backend, or the variant a policy chose. */
    private Backend backend;
    /** The task the client's sticky-session cookie names, for a route with sticky sessions. */
    private String stickyId;
    /** The task the request went to; its health hears how that went. */
    private Endpoint endpoint;

    TaskChoice(ProxyContext context, EventLoop loop) {
        this.context = context;
        this.loop = loop;
    }

    /** A new exchange on {@code exchangeRoute}: reads the client's sticky-session cookie if the route has them. */
    void begin(Route exchangeRoute, RequestHeaders head) {
        route = exchangeRoute;
        backend = exchangeRoute.backend();
        Backend target = backend;
        stickyId = target.balancesTasks() && target.balancing().sticky()
                ? StickyCookies.read(head, exchangeRoute.serviceName()) : null;
    }

    /** A policy sent the request to another backend than the route's: a sticky session names none of its tasks. */
    void backend(Backend chosen) {
        if (chosen != backend) {
            backend = chosen;
            stickyId = null;
        }
    }

    /** The task the request is on, or {@code null}. */
    Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Puts the request on a task other than {@code failed}: the one the sticky session names while it is available,
     * else the one the balancing picks. Tasks found stale are looked up again in the background, and the health check
     * runs while requests come. Returns the task, or {@code null} when there is none or none healthy.
     */
    Endpoint pick(TaskGroup tasks, Endpoint failed) {
        long now = System.nanoTime();
        tasks.refreshIfStale(context.resolver(loop), now);
        tasks.checkHealth(loop);
        Endpoint pinned = stickyId == null ? null : tasks.pinned(stickyId, failed, now);
        use(pinned != null ? pinned : tasks.pick(failed, now));
        return endpoint;
    }

    /**
     * The connect timeout of an attempt. A task that vanished from the network answers nothing, so waiting the full
     * timeout for it only delays the request while another task could serve it: then the attempt is cut short.
     */
    int connectTimeoutMillis(TaskGroup tasks) {
        if (tasks != null && endpoint != null && tasks.hasAlternative(endpoint, System.nanoTime())) {
            return Math.min(context.connectTimeoutMillis, TASK_ATTEMPT_CONNECT_MILLIS);
        }
        return context.connectTimeoutMillis;
    }

    /** The task answered. */
    void succeeded() {
        if (endpoint != null) {
            endpoint.succeeded();
        }
    }

    /** Ejects the task the request went to, if any, looks the tasks up again, and returns it. */
    Endpoint failed() {
        Endpoint failed = endpoint;
        if (failed != null) {
            context.tasks(backend).taskFailed(failed, context.resolver(loop));
            context.observer.taskEjected(route, failed.address());
            use(null);
        }
        return failed;
    }

    /** A Set-Cookie line when the client must be pinned to the task that answers (anew, or after its task left). */
    byte[] cookieUpdate() {
        if (endpoint == null || backend != route.backend() || !backend.balancing().sticky()) {
            return null;
        }
        return StickyCookies.update(route.serviceName(), endpoint, stickyId);
    }

    /** The request is over, or goes no further: it leaves its task's requests in flight. */
    void end() {
        use(null);
    }

    /** Moves the request's place among the requests in flight from the task it was on to {@code next}. */
    private void use(Endpoint next) {
        if (endpoint != null) {
            endpoint.requestEnded();
        }
        endpoint = next;
        if (next != null) {
            next.requestStarted();
        }
    }
}
