package io.swarmgate.proxy.policy;

/**
 * When a header rule applies, as Docker Flow Proxy's documentation writes its conditions: always, only over TLS
 * ({@code if { ssl_fc }}, {@code unless !{ ssl_fc }}) or only over plain HTTP ({@code if !{ ssl_fc }},
 * {@code unless { ssl_fc }}).
 */
public enum TlsCondition {
    ALWAYS, TLS, PLAIN;

    /** @param secure whether the client's connection is TLS */
    public boolean holds(boolean secure) {
        return this == ALWAYS || (this == TLS) == secure;
    }
}
