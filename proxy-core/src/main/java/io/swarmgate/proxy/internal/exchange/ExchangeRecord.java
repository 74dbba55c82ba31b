package io.swarmgate.proxy.internal.exchange;

import io.netty.handler.codec.http.HttpMethod;
import io.swarmgate.proxy.CompletedExchange;
import io.swarmgate.proxy.FailureReason;
import io.swarmgate.proxy.internal.http1.RequestDecoder;
import io.swarmgate.proxy.policy.ExchangeOutcome;
import io.swarmgate.proxy.route.Route;
import java.net.SocketAddress;

/**
 * Counts the bytes a client connection reads and writes (after TLS; for HTTP/2, the requests and answers in their
 * HTTP/1.1 form) and holds what the observer is told of the
 * exchange in progress: one per connection, reused for each of its exchanges, so reporting allocates nothing.
 *
 * <p>Not a handler of the connection's pipeline, where it would be one more step for every read and write of every
 * connection: an HTTP/1.1 connection's bytes read are its request decoder's count, and its owner reports the bytes it
 * writes, as an HTTP/2 or HTTP/3 stream's owner reports both.
 *
 * <p>Internal: public for {@code front} only.
 */
public final class ExchangeRecord implements CompletedExchange, ExchangeOutcome {
    private static final String HTTP_1_1 = "HTTP/1.1";
    private static final String HTTP_1_0 = "HTTP/1.0";
    /** The protocol of an HTTP/2 stream's record. */
    public static final String HTTP_2_0 = "HTTP/2.0";
    /** The protocol of an HTTP/3 stream's record. */
    public static final String HTTP_3_0 = "HTTP/3.0";

    /**
     * The protocol of the streams the record's requests come on (HTTP/2 or HTTP/3), whatever HTTP/1.1 form they take
     * on their way through; {@code null} for an HTTP/1.x connection, whose requests say theirs.
     */
    private final String streamProtocol;

    /** The decoder whose bytes read are the connection's, or {@code null} for a stream whose owner reports them. */
    private final RequestDecoder reads;
    private SocketAddress client;
    private long received;
    private long sent;
    /** The counts when the previous exchange ended. */
    private long receivedBefore;
    private long sentBefore;
    private Route route;
    private HttpMethod method;
    private String target;
    private String protocol;
    private SocketAddress upstream;
    private int status;
    private long durationNanos;
    private long receivedBytes;
    private long sentBytes;
    private FailureReason failure;
    private String policy;

    /** The record of an HTTP/1.x connection, whose bytes read are those {@code reads} decoded. */
    public ExchangeRecord(RequestDecoder reads) {
        this.reads = reads;
        this.streamProtocol = null;
        this.protocol = HTTP_1_1;
    }

    /** The record of a stream's requests, in {@code streamProtocol} ({@link #HTTP_2_0} or {@link #HTTP_3_0}). */
    public ExchangeRecord(String streamProtocol) {
        this.reads = null;
        this.streamProtocol = streamProtocol;
        this.protocol = streamProtocol;
    }

    public void client(SocketAddress address) {
        client = address;
    }

    public void received(int bytes) {
        received += bytes;
    }

    public void sent(int bytes) {
        sent += bytes;
    }

    /** A new exchange; its target is not known yet. */
    void begin(HttpMethod requestMethod) {
        method = requestMethod;
        target = null;
        protocol = streamProtocol != null ? streamProtocol : HTTP_1_1;
        upstream = null;
        failure = null;
        policy = null;
    }

    void request(String requestTarget, int versionMinor) {
        target = requestTarget;
        if (streamProtocol == null) {
            protocol = versionMinor == 0 ? HTTP_1_0 : HTTP_1_1;
        }
    }

    void upstream(SocketAddress address) {
        upstream = address;
    }

    void failure(FailureReason reason) {
        failure = reason;
    }

    void answeredBy(String answeringPolicy) {
        policy = answeringPolicy;
    }

    /**
     * Ends the exchange and returns it, to be reported at once; the next exchange's counts start here.
     *
     * @param lastBytes the exchange's bytes still to be written, counted in it now and left out of the next
     */
    CompletedExchange completed(Route exchangeRoute, int sentStatus, long duration, int lastBytes) {
        route = exchangeRoute;
        status = sentStatus;
        durationNanos = duration;
        long receivedNow = reads != null ? reads.bytesRead() : received;
        receivedBytes = receivedNow - receivedBefore;
        sentBytes = sent - sentBefore + lastBytes;
        receivedBefore = receivedNow;
        sentBefore = sent + lastBytes;
        return this;
    }

    @Override
    public Route route() {
        return route;
    }

    @Override
    public HttpMethod method() {
        return method;
    }

    @Override
    public String target() {
        return target;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public long durationNanos() {
        return durationNanos;
    }

    @Override
    public SocketAddress client() {
        return client;
    }

    @Override
    public SocketAddress upstream() {
        return upstream;
    }

    @Override
    public long receivedBytes() {
        return receivedBytes;
    }

    @Override
    public long sentBytes() {
        return sentBytes;
    }

    @Override
    public FailureReason failure() {
        return failure;
    }

    @Override
    public boolean backendFailed() {
        return failure != null;
    }

    @Override
    public String policy() {
        return policy;
    }

    @Override
    public boolean forwarded() {
        return upstream != null;
    }
}
