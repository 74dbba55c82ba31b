package io.swarmgate.proxy.policy;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Answers every request itself with a page rendered at that moment, e.g. the statistics page Docker Flow Proxy serves
 * at {@code STATS_URI}. Put it last on a route, after the policies that guard it; the route's backend is never used.
 * The page is rendered on the I/O thread: its supplier must not block.
 */
public final class StatusPage implements RoutePolicy {
    private final String contentType;
    private final Supplier<String> page;

    public StatusPage(String contentType, Supplier<String> page) {
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.page = Objects.requireNonNull(page, "page");
    }

    @Override
    public PolicyResult onRequest(PolicyRequest request) {
        return LocalResponse.page(200, contentType, page.get());
    }
}
