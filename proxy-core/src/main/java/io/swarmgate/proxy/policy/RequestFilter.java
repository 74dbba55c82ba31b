package io.swarmgate.proxy.policy;

/**
 * One routing rule applied to the requests of a route once it matched: it lets the request through (possibly
 * changed) by returning {@code null}, or answers it itself. Filters run on the I/O threads, in the order of
 * {@link RouteFilters}; they must not block.
 */
@FunctionalInterface
public interface RequestFilter {
    LocalResponse filter(FilteredRequest request);
}
