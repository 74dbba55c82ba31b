package io.swarmgate.proxy.filter;

import java.util.List;
import java.util.Objects;

/**
 * What a route does to its requests and answers besides forwarding them: request filters in order (access, auth,
 * redirects, rewrites, headers), then edits to the answer's header fields. A route without rules has {@link #NONE},
 * which the data plane skips at no cost.
 */
public final class RouteFilters {
    public static final RouteFilters NONE = new RouteFilters(List.of(), HeaderEdits.NONE);

    private final RequestFilter[] request;
    private final HeaderEdits response;

    private RouteFilters(List<RequestFilter> request, HeaderEdits response) {
        this.request = request.toArray(RequestFilter[]::new);
        this.response = Objects.requireNonNull(response, "response");
    }

    public static RouteFilters of(List<RequestFilter> request, HeaderEdits response) {
        return request.isEmpty() && response.isEmpty() ? NONE : new RouteFilters(request, response);
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

    public HeaderEdits responseEdits() {
        return response;
    }
}
