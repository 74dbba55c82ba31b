package io.swarmgate.proxy.internal.exchange;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/**
 * The client's end of an exchange, as {@link Exchange} uses it: an HTTP/1.1 connection, or one HTTP/2 stream at a
 * time on an HTTP/2 lane (both in {@code front}). A backend's response reaches it through its own {@link
 * ResponseWriter}; the proxy's own short responses (errors, redirects) in the form it gives them
 * ({@link #localAnswer}).
 *
 * <p>Internal: public for {@code front}, which implements it.
 */
public interface Downstream {
    /** A writer of backends' responses in this end's protocol, which its client side reuses for each exchange. */
    ResponseWriter responseWriter();

    ByteBufAllocator alloc();

    EventLoop eventLoop();

    /**
     * One of the proxy's own short responses as this end writes it ({@link #write}): HTTP/1.1 bytes, or for an HTTP/2
     * stream the answer itself, whose frames it writes.
     */
    Object localAnswer(LocalAnswer answer, boolean keepAlive);

    /** Queues bytes for the client, without flushing. */
    void write(Object msg);

    void writeAndFlush(Object msg);

    void flush();

    /** Writes and flushes the last bytes, then closes once they are written. */
    void closeAfterWriting(Object lastMessage);

    /** Ends the client's end at once: the connection, or for HTTP/2 the stream (reset if it is still open). */
    void close();

    /** Whether the client takes what is written without it piling up in the proxy. */
    boolean isWritable();

    boolean reading();

    /** Reads on from the client, or stops (for HTTP/2: its stream's flow-control window is not given back). */
    void reading(boolean read);

    /** The refused upgrade's answer was sent: the client's next bytes are HTTP again. */
    void resumeDecoding();

    /** The upgrade happened: from now on the client's bytes are relayed as they are. */
    void tunnel();
}
