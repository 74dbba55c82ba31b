package io.swarmgate.proxy.upstream;

/**
 * The PROXY protocol header the proxy sends first on each new connection to a backend, naming the client's address
 * and port and the address the client connected to, for backends that want the client's address below HTTP.
 */
public enum ProxyHeader {
    /** No header: the default. */
    NONE,
    /** Version 1, a line of text. */
    V1,
    /** Version 2, binary. */
    V2
}
