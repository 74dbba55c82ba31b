package io.swarmgate.proxy;

/**
 * Why the proxy answered a request itself with 502, 503 or 504, or could not relay a TCP connection: the access log's
 * {@code failure} field and the data plane's warnings name it.
 */
public enum FailureReason {
    NO_ROUTE("no_route", "no route matches"),
    NO_TASK("no_task", "the service has no running task"),
    TASKS_EJECTED("tasks_ejected", "all tasks are ejected after failing"),
    UNRESOLVED("unresolved", "the name did not resolve"),
    REFUSED("refused", "connection refused"),
    CONNECT_TIMEOUT("connect_timeout", "the connection attempt timed out"),
    CONNECT_FAILED("connect_failed", "the connection failed"),
    BAD_RESPONSE("bad_response", "the backend's answer was invalid"),
    BACKEND_CLOSED("backend_closed", "the backend closed the connection before answering"),
    BACKEND_TIMEOUT("backend_timeout", "the backend did not answer in time");

    private final String token;
    private final String description;

    FailureReason(String token, String description) {
        this.token = token;
        this.description = description;
    }

    /** A short lower-case word for logs read by machines, e.g. {@code refused}. */
    public String token() {
        return token;
    }

    /** What happened, for a person reading the log. */
    public String description() {
        return description;
    }
}
