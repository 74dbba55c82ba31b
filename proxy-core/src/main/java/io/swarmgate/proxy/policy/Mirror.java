package io.swarmgate.proxy.policy;

import io.swarmgate.proxy.upstream.Backend;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code mirrorService} and {@code mirrorPercent}: a share of the route's requests is copied to another service once
 * complete, and its answers are thrown away. The request itself is served as if there were no mirror: the copy goes
 * out after it, on a connection of its own, bounded in number and time, and a body over the copy's bound is not
 * mirrored (see {@code ProxyObserver.mirrorDropped}). Each request draws on its own thread: nothing is shared.
 */
public final class Mirror implements RoutePolicy {
    /** The share's unit: a hundredth of a percent. */
    public static final int ALL = 10_000;

    private final Backend target;
    private final int share;

    /**
     * @param target the mirror, spoken to in HTTP/1.1 whatever the route's backend speaks
     * @param share  the share of requests copied, in hundredths of a percent (0 to {@link #ALL})
     */
    public Mirror(Backend target, int share) {
        if (share < 0 || share > ALL) {
            throw new IllegalArgumentException("share: " + share + " (expected: 0-" + ALL + ")");
        }
        this.target = target;
        this.share = share;
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        if (share == ALL || ThreadLocalRandom.current().nextInt(ALL) < share) {
            request.mirror(target);
        }
        return PolicyResult.PROCEED;
    }
}
