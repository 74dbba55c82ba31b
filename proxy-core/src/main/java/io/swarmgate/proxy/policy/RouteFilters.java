package io.swarmgate.proxy.policy;

import java.util.List;
import java.util.Objects;

/**
 * What a route does to its requests and answers besides forwarding them: request filters in order (access, auth,
 * redirects, rewrites, headers), then edits to the answer's header fields. A route without rules has {@link #NONE},
 * which the data plane skips at no cost.
 */
public final class RouteFilters {
    public static final RouteFilters NONE = new RouteFilters(List.of(), HeaderEdits.NONE, HeaderEdits.NONE);

    private final RequestFilter[] request;
    private final HeaderEdits responseOverTls;
    private final HeaderEdits responseOverPlain;

    private RouteFilters(List<RequestFilter> request, HeaderEdits responseOverTls, HeaderEdits responseOverPlain) {
        this.request = request.toArray(RequestFilter[]::new);
        this.responseOverTls = Objects.requireNonNull(responseOverTls, "responseOverTls");
        this.responseOverPlain = Objects.requireNonNull(responseOverPlain, "responseOverPlain");
    }

    /** Filters whose answer edits are the same over TLS and plain HTTP. */
    public static RouteFilters of(List<RequestFilter> request, HeaderEdits response) {
        return of(request, response, response);
    }

    /** Filters whose answer edits depend on the client's connection ({@code if { ssl_fc }}). */
    public static RouteFilters of(List<RequestFilter> request, HeaderEdits responseOverTls,
                                  HeaderEdits responseOverPlain) {
        return request.isEmpty() && responseOverTls.isEmpty() && responseOverPlain.isEmpty() ? NONE
                : new RouteFilters(request, responseOverTls, responseOverPlain);
    }

    public boolean filtersRequests() {
        return request.length > 0;
    }

    /** Runs the request filters in order; the first answer stops the chain and is returned. */
    public LocalResponse apply(FilteredRequest filtered) {
        for (RequestFilter filter : request) {
            LocalResponse answer = filter.filter(filtered);
            if (answer != null) {
                return answer;
            }
        }
        return null;
    }

    /** @param secure whether the client's connection is TLS */
    public HeaderEdits responseEdits(boolean secure) {
        return secure ? responseOverTls : responseOverPlain;
    }
}
