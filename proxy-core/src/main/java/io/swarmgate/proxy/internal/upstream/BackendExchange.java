package io.swarmgate.proxy.internal.upstream;

/**
 * The exchange a backend connection serves, as the backend side sees it: told how its connect went, what the backend
 * answers, and when the connection stalls or ends. Defined here, beside {@link BackendHandler} and
 * {@link BackendPool}, so that the backend side never needs the class of the exchange that uses it.
 *
 * <p>Internal: public for {@code exchange} only.
 */
public interface BackendExchange {
    /**
     * A connection for exchange number {@code forExchange} is ready: a fresh one ({@code reused} false) or one taken
     * from the pool. An exchange that has since ended hands it back to the pool.
     */
    void onBackendConnected(BackendHandler connection, boolean reused, int forExchange);

    /** No connection could be opened (refused, timed out, or its TLS handshake failed) for that exchange. */
    void onBackendConnectFailed(int forExchange, Throwable cause);

    /** A decoded part of the answer: a head, body bytes, the end, or an error. */
    void onBackendMessage(BackendHandler from, Object msg);

    /** What the backend sent has been handed on. */
    void onBackendReadComplete(BackendHandler from);

    /** The backend connection can take more of the request again. */
    void onBackendWritable();

    /** The backend connection closed while the exchange was bound to it. */
    void onBackendClosed(BackendHandler from);

    /** The backend stayed silent longer than the exchange's backend timeout. */
    void onBackendTimeout(BackendHandler from);
}
