package io.swarmgate.discovery.docker;

/** Receives the Docker engine's service events; called on the event stream's thread. */
public interface ServiceEvents {
    /** The engine accepted the stream: every change from now on is delivered. */
    void started();

    /** A service was created or updated (its labels, its replicas, anything). */
    void changed(String serviceId);

    /** A service was removed. */
    void removed(String serviceId);

    /** The stream ended or failed; no more calls follow. Not called after the watch is closed. */
    void broken(Throwable cause);
}
