package io.swarmgate.proxy.internal.exchange;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.swarmgate.proxy.internal.head.ClientRequestHead;
import io.swarmgate.proxy.policy.Compression;
import io.swarmgate.proxy.policy.HeaderEdits;
import io.swarmgate.proxy.policy.LocalResponse;
import io.swarmgate.proxy.policy.PolicyResult;
import io.swarmgate.proxy.policy.RoutePolicies;
import io.swarmgate.proxy.tls.CertificateStore;
import io.swarmgate.proxy.upstream.Backend;
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
    /** The head goes to an h2c backend as a header list ({@link ClientRequestHead#forwardAsFrames}). */
    private boolean frames;
    private @Nullable ClientConnection client;
    private @Nullable LocalResponse answer;
    private @Nullable CompletionStage<PolicyResult> decision;
    private long bodyLimit;
    private long backendTimeoutNanos;
    private long tunnelTimeoutNanos;
    private @Nullable Compression compression;
    private @Nullable String compressionAlgorithm;
    private HeaderEdits answerEdits = HeaderEdits.NONE;
    private @Nullable Backend backend;
    private @Nullable Backend mirror;

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
     * @param asFrames whether the head goes to an h2c backend as a header list rather than HTTP/1.1 text
     * @return HTTP/1.1 text ({@link ByteBuf}), or the h2c backend's header list ({@code Http2Headers})
     */
    @Nullable Object forward(RoutePolicies policies, Executor loop, ClientRequestHead requestHead, String host,
                             String uri, @Nullable String normalizedTarget, @Nullable String hostAuthority,
                             @Nullable String relayed, boolean asFrames, ClientConnection connection,
                             @Nullable CertificateStore certificates, ByteBufAllocator alloc) {
        release();
        answer = null;
        bodyLimit = 0;
        backendTimeoutNanos = 0;
        tunnelTimeoutNanos = 0;
        compression = null;
        compressionAlgorithm = null;
        answerEdits = HeaderEdits.NONE;
        backend = null;
        mirror = null;
        head = requestHead;
        normalized = normalizedTarget;
        authority = hostAuthority;
        upgradeRelayed = relayed;
        frames = asFrames;
        client = connection;
        if (!policies.appliesToRequests()) {
            return encode(alloc);
        }
        request = new PolicyRequestState(requestHead, host, uri, connection, certificates, connector, atEnd);
        return decided(policies.apply(request, loop), alloc);
    }

    /** The policies decided later, on the request's I/O thread: as {@link #forward}'s result. */
    @Nullable Object resume(PolicyResult decided, ByteBufAllocator alloc) {
        try {
            return decided(decided, alloc);
        } finally {
            release();
        }
    }

    private @Nullable Object decided(PolicyResult result, ByteBufAllocator alloc) {
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

    private Object encode(ByteBufAllocator alloc) {
        PolicyRequestState changes = request;
        if (changes == null) {
            return frames ? head.encodeForH2cBackend(normalized, authority, client.address(), client.proto(),
                    client.localPortText(), NO_NAMES, List.of())
                    : head.encodeForBackend(alloc, normalized, authority, upgradeRelayed, client.address(),
                    client.proto(), client.localPortText(), NO_NAMES, List.of());
        }
        bodyLimit = changes.bodyLimit();
        backendTimeoutNanos = changes.backendTimeoutNanos();
        tunnelTimeoutNanos = changes.tunnelTimeoutNanos();
        compression = changes.compression();
        compressionAlgorithm = changes.compressionAlgorithm();
        answerEdits = changes.answerEdits();
        backend = changes.backend();
        mirror = changes.mirror();
        String target = changes.changedTarget() != null ? changes.changedTarget() : normalized;
        if (frames) {
            return head.encodeForH2cBackend(target, authority, client.address(), client.proto(),
                    client.localPortText(), changes.removedNames(), changes.addedLines());
        }
        return head.encodeForBackend(alloc, target, authority, upgradeRelayed, client.address(), client.proto(),
                client.localPortText(), changes.removedNames(), changes.addedLines());
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

    /** The route's edits of the answer, and those the policies added for the head last encoded. */
    HeaderEdits answerEdits(HeaderEdits route) {
        return answerEdits == HeaderEdits.NONE ? route : route.then(answerEdits);
    }

    /** The backend the policies chose for the head last encoded, else the route's. */
    Backend backend(Backend route) {
        return backend != null ? backend : route;
    }

    /** Where the policies want a copy of the request sent, or {@code null}. */
    @Nullable Backend mirror() {
        return mirror;
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
