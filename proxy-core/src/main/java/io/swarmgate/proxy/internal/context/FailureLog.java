package io.swarmgate.proxy.internal.context;

import io.netty.channel.ConnectTimeoutException;
import io.swarmgate.proxy.FailureReason;
import io.swarmgate.proxy.route.Route;
import io.swarmgate.proxy.tcp.StreamRoute;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log why the proxy answered a request itself with 502, 503 or 504, or closed a TCP relay: at most one
 * line per reason and interval, so that a failing backend under load cannot flood the log, with the count of the
 * lines left out. Nothing is formatted for a line left out; the happy path never comes here.
 *
 * <p>Internal: public for {@code exchange}, {@code tcp} only.
 */
public final class FailureLog {
    /** Named as before the class moved into its package: logging configurations select it by this name. */
    private static final Logger log = LoggerFactory.getLogger("io.swarmgate.proxy.internal.FailureLog");
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final FailureReason[] REASONS = FailureReason.values();

    /** Per reason, when its next line may be written. */
    private final AtomicLongArray nextLine = new AtomicLongArray(REASONS.length);
    /** Per reason, the lines left out since its last one. */
    private final AtomicIntegerArray leftOut = new AtomicIntegerArray(REASONS.length);

    FailureLog() {
        long now = System.nanoTime();
        for (int i = 0; i < REASONS.length; i++) {
            nextLine.set(i, now);
        }
    }

    /** Why a connection attempt failed, from its cause. */
    public static FailureReason ofConnect(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof UnknownHostException) {
                return FailureReason.UNRESOLVED;
            }
            if (c instanceof ConnectTimeoutException) {
                return FailureReason.CONNECT_TIMEOUT;
            }
            if (c instanceof ConnectException && String.valueOf(c.getMessage()).contains("refused")) {
                return FailureReason.REFUSED;
            }
        }
        return FailureReason.CONNECT_FAILED;
    }

    /**
     * The proxy answered {@code status} itself (0: it cut off an answer already started).
     *
     * @param route the request's route, or {@code null} when none matched
     * @param where the backend address tried, or for {@link FailureReason#NO_ROUTE} what did not match
     * @param cause the connection's error, or {@code null}
     */
    public void answered(int status, FailureReason reason, Route route, Object where, Throwable cause) {
        int leftOutBefore = admit(reason);
        if (leftOutBefore >= 0) {
            log.warn("{} for {}: {}; {}{}{}", status == 0 ? "Answer cut off" : status,
                    route == null ? "a request" : "service " + route.serviceName(), reason.description(),
                    text(where), detail(reason, cause), suffix(leftOutBefore));
        }
    }

    /** No route took a request: which Host, path and port did not match. */
    public void noRoute(String host, String path, int port) {
        int leftOutBefore = admit(FailureReason.NO_ROUTE);
        if (leftOutBefore >= 0) {
            log.warn("503 for a request: no route matches Host {}, path {} on port {}{}", host, path, port,
                    suffix(leftOutBefore));
        }
    }

    /** A TCP relay's client connection was closed because its backend could not be reached. */
    public void relayFailed(FailureReason reason, StreamRoute route, int port, Object where, Throwable cause) {
        int leftOutBefore = admit(reason);
        if (leftOutBefore >= 0) {
            log.warn("TCP connection on port {} closed for {}: {}; {}{}{}", port,
                    route == null ? "no service" : "service " + route.serviceName(), reason.description(),
                    text(where), detail(reason, cause), suffix(leftOutBefore));
        }
    }

    /** Returns the lines left out before this one when this one is to be written, else -1 (and counts it). */
    private int admit(FailureReason reason) {
        int i = reason.ordinal();
        long now = System.nanoTime();
        long next = nextLine.get(i);
        if (now - next < 0 || !nextLine.compareAndSet(i, next, now + INTERVAL_NANOS)) {
            leftOut.incrementAndGet(i);
            return -1;
        }
        return leftOut.getAndSet(i, 0);
    }

    /** An address as {@code host:port}, never Java's {@code name/<unresolved>} form. */
    private static String text(Object where) {
        if (where instanceof InetSocketAddress inet) {
            return "backend " + inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(where);
    }

    private static String detail(FailureReason reason, Throwable cause) {
        return reason == FailureReason.CONNECT_FAILED && cause != null ? " (" + cause + ")" : "";
    }

    private static String suffix(int leftOutBefore) {
        return leftOutBefore == 0 ? ""
                : " (" + leftOutBefore + " more for this reason since the last such line, not logged)";
    }
}
