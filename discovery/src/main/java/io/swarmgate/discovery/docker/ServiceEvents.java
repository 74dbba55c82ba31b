package io.swarmgate.discovery.docker;

/**
 * Receives the Docker engine's service, network and node events, and the end of its task containers; called on the
 * event stream's thread.
 */
public interface ServiceEvents {
    /** The engine accepted the stream: every change from now on is delivered. */
    void started();

    /** A service was created or updated (its labels, its replicas, anything). */
    void changed(String serviceId);

    /** A service was removed. */
    void removed(String serviceId);

    /**
     * A network was created or removed, or a container connected to or disconnected from one: this engine's
     * containers came or went, tasks among them, and Swarm says nothing else when a task starts or dies.
     */
    void networkChanged();

    /**
     * The container of this task of this service, on this engine, was sent SIGTERM or SIGKILL (Swarm's agent stops a
     * task's container so, once Swarm wants the task shut down, before its process exits) or exited: the task is
     * over, as Swarm never restarts a task but starts another, though Swarm's manager may list it as running for a few
     * hundred milliseconds more when its container was stopped behind Swarm's back.
     */
    void taskEnding(String serviceId, String taskId);

    /** A node was added, removed or changed (down, drained, ...): its tasks may be gone, and no task event says so. */
    void nodeChanged();

    /** The stream ended or failed; no more calls follow. Not called after the watch is closed. */
    void broken(Throwable cause);
}
