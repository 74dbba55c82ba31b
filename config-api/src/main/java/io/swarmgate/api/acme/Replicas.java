package io.swarmgate.api.acme;

import java.util.List;

/** The proxy's replicas as automatic HTTPS reaches them, through their configuration API. */
public interface Replicas {
    /** A lone proxy: nothing to send to. */
    Replicas NONE = (method, pathAndQuery, body) -> List.of();

    /**
     * Sends {@code method pathAndQuery} to every replica's API, this one included, and waits for their answers.
     *
     * @param body the body, or null for none
     * @return the replicas that did not answer 200; empty also when no other replica is found
     */
    List<String> send(String method, String pathAndQuery, String body);
}
