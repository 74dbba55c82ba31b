package io.swarmgate.proxy;

/**
 * One task of a task-balanced service as the data plane sees it at the moment it is asked.
 *
 * @param service  the service name (the backend host, without {@code tasks.})
 * @param task     the task's address, {@code ip:port}
 * @param inFlight requests sent to it and not answered yet
 * @param pooled   idle keep-alive connections to it, ready for the next requests
 * @param healthy  false while it is ejected after failing
 */
public record TaskState(String service, String task, int inFlight, int pooled, boolean healthy) {
}
