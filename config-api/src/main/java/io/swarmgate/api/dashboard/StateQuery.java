package io.swarmgate.api.dashboard;

import io.swarmgate.config.DestinationSpec;
import io.swarmgate.config.ServiceSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which services a dashboard state shows: those whose name, or a host or path of theirs, contains {@code search}
 * (ignoring case; all when empty), {@code limit} of them from the {@code from}th, in the {@code sort} order. A page, so
 * that the state's cost is that of what it shows: with 100,000 services, all of them made 23 MB of JSON in about a
 * second of the API's event loop.
 */
public final class StateQuery {
    /** The order of the services. */
    public enum Sort {
        /** By name. */
        NAME,
        /** Those with the most requests over the charts' window first, then by name. */
        REQUESTS,
        /** Those with the most 5xx answers over the charts' window first, then by requests, then by name. */
        ERRORS;

        String parameter() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    private static final int MAX_SEARCH = 256;
    private static final Set<String> PARAMETERS = Set.of("search", "from", "limit", "sort");

    private final String search;
    /** The search in lower case: names, hosts and paths are mostly lower case, and then compared as they are. */
    private final String lowerCase;
    private final int from;
    private final int limit;
    private final Sort sort;

    StateQuery(String search, int from, int limit, Sort sort) {
        this.search = search;
        this.lowerCase = search.toLowerCase(Locale.ROOT);
        this.from = from;
        this.limit = limit;
        this.sort = sort;
    }

    /**
     * Reads {@code state.json}'s parameters.
     *
     * @throws IllegalArgumentException naming the parameter that is unknown, repeated or out of its range
     */
    public static StateQuery of(Map<String, List<String>> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (!PARAMETERS.contains(parameter.getKey())) {
                throw new IllegalArgumentException("unknown parameter '" + parameter.getKey()
                        + "'; the dashboard's state takes search, from, limit and sort");
            }
            if (parameter.getValue().size() > 1) {
                throw new IllegalArgumentException(parameter.getKey() + " is given more than once");
            }
        }
        String search = Objects.requireNonNullElse(single(parameters, "search"), "");
        if (search.length() > MAX_SEARCH) {
            throw new IllegalArgumentException("search is longer than " + MAX_SEARCH + " characters");
        }
        return new StateQuery(search, number(parameters, "from", 0, 0, Integer.MAX_VALUE),
                number(parameters, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT), sort(single(parameters, "sort")));
    }

    /** The text searched for, as given; empty for every service. */
    public String search() {
        return search;
    }

    /** The position of the page's first service among those that match, from 0. */
    public int from() {
        return from;
    }

    /** How many services a page lists at most. */
    public int limit() {
        return limit;
    }

    /** The order of the services. */
    public Sort sort() {
        return sort;
    }

    /** Whether the service's name, or a host or path of one of its destinations, contains the search. */
    boolean matches(ServiceSpec service) {
        if (search.isEmpty() || contains(service.serviceName())) {
            return true;
        }
        for (DestinationSpec destination : service.destinations()) {
            if (destination.serviceDomain().stream().anyMatch(this::contains)
                    || destination.servicePath().stream().anyMatch(this::contains)) {
                return true;
            }
        }
        return false;
    }

    /** The page of {@code matching}: empty past its end. */
    <T> List<T> page(List<T> matching) {
        int start = Math.min(from, matching.size());
        return matching.subList(start, (int) Math.min((long) start + limit, matching.size()));
    }

    private boolean contains(String text) {
        return text.toLowerCase(Locale.ROOT).contains(lowerCase);
    }

    private static @Nullable String single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null ? null : values.get(0);
    }

    private static Sort sort(@Nullable String value) {
        if (value == null) {
            return Sort.NAME;
        }
        for (Sort sort : Sort.values()) {
            if (sort.parameter().equals(value)) {
                return sort;
            }
        }
        throw new IllegalArgumentException("sort must be name, requests or errors, not '" + value + "'");
    }

    private static int number(Map<String, List<String>> parameters, String name, int absent, int min, int max) {
        String value = single(parameters, name);
        if (value == null) {
            return absent;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below, as any value out of range
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", not '"
                + value + "'");
    }
}
