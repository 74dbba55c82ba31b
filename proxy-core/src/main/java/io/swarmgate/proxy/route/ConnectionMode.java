package io.swarmgate.proxy.route;

import java.util.Locale;

/** What happens to the connections of an exchange once it is answered: Docker Flow Proxy's {@code connectionMode}. */
public enum ConnectionMode {
    /** Both stay open for more requests ({@code http-keep-alive}, the default). */
    KEEP_ALIVE,
    /** The backend connection is closed, the client's stays open ({@code http-server-close}). */
    SERVER_CLOSE,
    /** Both are closed ({@code httpclose}, {@code forceclose}). */
    CLOSE;

    /** DFP's value; empty for the default. */
    public static ConnectionMode of(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "", "http-keep-alive", "http-tunnel" -> KEEP_ALIVE;
            case "http-server-close" -> SERVER_CLOSE;
            case "httpclose", "forceclose", "http-close" -> CLOSE;
            default -> throw new IllegalArgumentException("connectionMode: '" + value
                    + "' (expected: http-keep-alive, http-server-close or httpclose)");
        };
    }
}
