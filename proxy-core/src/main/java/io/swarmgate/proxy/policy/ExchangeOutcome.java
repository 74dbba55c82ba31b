package io.swarmgate.proxy.policy;

/** How an exchange ended, as an {@link ExchangeObserver} hears it; valid only during the call. */
public interface ExchangeOutcome {
    /** The status sent to the client, or 0 when it got no complete answer (it left, or the backend broke off). */
    int status();

    /**
     * Whether the backend failed the exchange: it could not be reached, answered what is not HTTP, closed the
     * connection or stayed silent too long. The status then is the proxy's own 502, 503 or 504, or 0.
     */
    boolean backendFailed();

    /**
     * Whether the request went on towards the backend: false when a policy, or the proxy itself, answered it before
     * any backend was chosen.
     */
    boolean forwarded();

    /** From the request's head to the answer's end. */
    long durationNanos();
}
