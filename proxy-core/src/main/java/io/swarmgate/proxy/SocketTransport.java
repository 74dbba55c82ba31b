package io.swarmgate.proxy;

/** Which socket implementation the data plane's event loops use ({@link ProxyServer.Builder#transport}). */
public enum SocketTransport {
    /** Epoll where it loads, else Java NIO. */
    AUTO,
    /** Linux io_uring: the start fails where the kernel or a seccomp profile refuses it. */
    IO_URING,
    /** Linux epoll: the start fails where the native library does not load. */
    EPOLL,
    /** Java NIO, everywhere. */
    NIO
}
