package io.swarmgate.proxy.internal.exchange;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.swarmgate.proxy.internal.head.ClientRequestHead;
import io.swarmgate.proxy.policy.Compression;
import io.swarmgate.proxy.policy.LocalResponse;
import io.swarmgate.proxy.policy.PolicyResult;
import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.tls.CertificateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The head a route's backend gets for a request: the route's policies run over the request, then the head is encoded
 * with their changes. A route without request policies skips straight to the encoding. When a policy decides later,
 * the head is kept until {@link #resume}. One per client connection, for its exchange in progress.
 */
final class RequestForwarding {
    private static final byte[][] NO_NAMES = new byte[0][];

    /** Clients on the request's I/O thread, for policies that ask a service. */
    private final Supplier<Bootstrap> connector;
    /** What the policies asked to run when the exchange ends: kept apart from the request, which goes sooner. */
    private final List<Runnable> atEnd = new ArrayList<>(0);

    private @Nullable ClientRequestHead head;
    /** Held while the policies decide later: the head outlives the call that brought it. */
    private boolean holding;
    private @Nullable PolicyRequestState request;
    private @Nullable String normalized;
    private @Nullable String authority;
    private @Nullable String upgradeRelayed;
    private @Nullable ClientConnection client;
    private @Nullable LocalResponse answer;
    private @Nullable CompletionStage<PolicyResult> decision;
    private long bodyLimit;
    private long backendTimeoutNanos;
    private long tunnelTimeoutNanos;
    private @Nullable Compression compression;
    private @Nullable String compressionAlgorithm;

    RequestForwarding(Supplier<Bootstrap> connector) {
        this.connector = connector;
    }

    /**
     * Returns the head to send; or {@code null} when a policy answered the request instead ({@link #answer}), or will
     * decide later ({@link #decision}).
     *
     * @param loop the request's I/O thread, where policies after a deferred decision run
     * @param uri the normalised origin-form target the route matched
     * @param normalizedTarget {@code uri} when it differs from the target the client sent, else {@code null}
     * @param hostAuthority an absolute-form target's authority, sent as Host, or {@code null}
     * @param relayed the protocols of an upgrade the route relays, or {@code null}
     */
    @Nullable ByteBuf forward(RoutePolicies policies, Executor loop, ClientRequestHead requestHead, String host, String uri,
                              @Nullable String normalizedTarget, @Nullable String hostAuthority,
                              @Nullable String relayed, ClientConnection connection,
                              @Nullable CertificateStore certificates, ByteBufAllocator alloc) {
        release();
        answer = null;
        bodyLimit = 0;
        backendTimeoutNanos = 0;
        tunnelTimeoutNanos = 0;
        compression = null;
        compressionAlgorithm = null;
        head = requestHead;
        normalized = normalizedTarget;
        authority = hostAuthority;
        upgradeRelayed = relayed;
        client = connection;
        if (!policies.appliesToRequests()) {
            return encode(alloc);
        }
        request = new PolicyRequestState(requestHead, host, uri, connection, certificates, connector, atEnd);
        return decided(policies.apply(request, loop), alloc);
    }

    /** The policies decided later, on the request's I/O thread: as {@link #forward}'s result. */
    @Nullable ByteBuf resume(PolicyResult decided, ByteBufAllocator alloc) {
        try {
            return decided(decided, alloc);
        } finally {
            release();
        }
    }

    private @Nullable ByteBuf decided(PolicyResult result, ByteBufAllocator alloc) {
        if (result instanceof LocalResponse local) {
            answer = local;
            return null;
        }
        if (result instanceof PolicyResult.Later later) {
            decision = later.decision();
            if (!holding) {
                head.keep();
                holding = true;
            }
            return null;
        }
        return encode(alloc);
    }

    private ByteBuf encode(ByteBufAllocator alloc) {
        PolicyRequestState changes = request;
        if (changes == null) {
            return head.encodeForBackend(alloc, normalized, authority, upgradeRelayed, client.address(),
                    client.proto(), client.localPortText(), NO_NAMES, List.of());
        }
        bodyLimit = changes.bodyLimit();
        backendTimeoutNanos = changes.backendTimeoutNanos();
        tunnelTimeoutNanos = changes.tunnelTimeoutNanos();
        compression = changes.compression();
        compressionAlgorithm = changes.compressionAlgorithm();
        String changed = changes.changedTarget();
        return head.encodeForBackend(alloc, changed != null ? changed : normalized, authority, upgradeRelayed,
                client.address(), client.proto(), client.localPortText(), changes.removedNames(),
                changes.addedLines());
    }

    /** The body limit the policies set for the head last encoded, or 0 for none. */
    long bodyLimit() {
        return bodyLimit;
    }

    /** The backend timeout the policies set for the head last encoded, else {@code otherwise}. */
    long backendTimeoutNanos(long otherwise) {
        return backendTimeoutNanos > 0 ? backendTimeoutNanos : otherwise;
    }

    /** The tunnel timeout the policies set for the head last encoded, else {@code otherwise}. */
    long tunnelTimeoutNanos(long otherwise) {
        return tunnelTimeoutNanos > 0 ? tunnelTimeoutNanos : otherwise;
    }

    /** How the policies had the answer compressed, or {@code null} for not at all. */
    @Nullable Compression compression() {
        return compression;
    }

    /** The algorithm the answer is compressed with, or {@code null}. */
    @Nullable String compressionAlgorithm() {
        return compressionAlgorithm;
    }

    /** What a policy answered, after {@link #forward} or {@link #resume} returned {@code null}. */
    LocalResponse answer() {
        if (answer == null) {
            throw new IllegalStateException("no policy answered");
        }
        return answer;
    }

    /** The decision still to come after {@link #forward} returned {@code null}, or {@code null} when a policy answered. */
    @Nullable CompletionStage<PolicyResult> decision() {
        return decision;
    }

    /** Lets go of the request: the head kept for a deferred decision is released. */
    /** The exchange ended: runs what the policies asked to run then, once. */
    void ended() {
        if (!atEnd.isEmpty()) {
            for (Runnable callback : atEnd) {
                callback.run();
            }
            atEnd.clear();
        }
    }

    void release() {
        if (holding) {
            holding = false;
            head.release();
        }
        head = null;
        request = null;
        client = null;
        decision = null;
    }
}
